use crate::cluster::Cluster;
use crate::runtime::{load_balancer_ips, Http};

impl Cluster {
    /// Where a connection to `ip:port` lands: a Service's virtual IP picks one of its ready endpoints at
    /// random (seeded, as kube-proxy's random choice); a pod IP is that pod. Answers the container that serves
    /// the port and the port it listens on.
    pub(crate) fn route(
        &mut self,
        ip: &str,
        port: i64,
    ) -> Option<(crate::runtime::ContainerRef, i64)> {
        use crate::model::{Node, Pod, Service};
        self.runtime.observed_cluster();
        let on_node = self
            .store
            .list::<Node>(None)
            .any(|n| n.internal_ip() == Some(ip));
        // A Service answers on its cluster IP and on each load balancer address at its port, and on every
        // node's address at its node port (kube-proxy opens it on all nodes).
        let service = self.store.list::<Service>(None).find_map(|s| {
            let sp = if on_node {
                s.spec.ports.iter().position(|p| p.node_port == Some(port))
            } else if s.spec.cluster_ip.as_deref() == Some(ip)
                || load_balancer_ips(s).iter().any(|a| a == ip)
            {
                s.spec.ports.iter().position(|p| p.port == port)
            } else {
                None
            };
            sp.map(|i| (s.clone(), i))
        });
        if on_node && service.is_none() {
            return None;
        }
        let (pod_ip, target_port) = match service {
            Some((svc, i)) => {
                let sp = svc.spec.ports.get(i)?;
                let port = sp.port;
                let eps = self.served_endpoints(&svc);
                if eps.is_empty() {
                    return None;
                }
                let pick = (self.rng.next_u64() % eps.len() as u64) as usize;
                let ep = &eps[pick];
                let target = ep
                    .ports
                    .iter()
                    .find(|(name, _, _)| name == &sp.name)
                    .map(|(_, _, p)| *p)
                    .unwrap_or(port);
                (ep.ip.clone(), target)
            }
            None => (ip.to_string(), port),
        };
        let pod = self
            .store
            .list::<Pod>(None)
            .find(|p| p.status.pod_ip.as_deref() == Some(pod_ip.as_str()) && !p.is_terminal())?
            .clone();
        let container = pod
            .spec
            .containers
            .iter()
            .find(|c| c.ports.iter().any(|p| p.container_port == target_port))
            .or(pod.spec.containers.first())?
            .name
            .clone();
        // A container whose process has exited (its pod is being stopped) serves nothing any more.
        if !self.runtime.process_running(&pod.metadata.uid, &container) {
            return None;
        }
        Some((
            crate::runtime::ContainerRef {
                namespace: pod.metadata.namespace.clone(),
                pod: pod.metadata.name.clone(),
                uid: pod.metadata.uid.clone(),
                container,
            },
            target_port,
        ))
    }
}

impl Cluster {
    /// `GET url` from the learner's machine, which (as a kind host on the nodes' Docker network) reaches the
    /// nodes' addresses and the load balancer addresses, not cluster or pod IPs. `None` when the host is none
    /// of those, so the caller tries its other sources.
    pub fn http_from_host(&mut self, url: &str) -> Option<Http> {
        use crate::model::{Node, Service};
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let (hostport, path) = rest
            .split_once('/')
            .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<i64>().ok()?),
            None => (hostport, 80),
        };
        let reachable = self
            .store
            .list::<Node>(None)
            .any(|n| n.internal_ip() == Some(host))
            || self
                .store
                .list::<Service>(None)
                .any(|s| load_balancer_ips(s).iter().any(|a| a == host));
        if !reachable {
            return None;
        }
        let Some((target, target_port)) = self.route(host, port) else {
            return Some(Http::Refused);
        };
        Some(self.node().http_to(target, target_port, &path))
    }
}
