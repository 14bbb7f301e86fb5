//! What kube-controller-manager puts in every namespace. The root-CA publisher gives each a ConfigMap
//! `kube-root-ca.crt` with the cluster's CA certificate, which the projected `kube-api-access-*` volume of every
//! pod mounts as `ca.crt`; deleting or editing it brings it back as it was. The service-account controller gives
//! each the ServiceAccount `default`, and makes it again when it is deleted.

use std::sync::Arc;

use crate::controllers::{Controller, Decision, View};
use crate::model::{ConfigMap, Namespace, Object, ObjectMeta, ServiceAccount};
use crate::store::{ObjectKey, WatchEventType};

pub const NAME: &str = "kube-root-ca.crt";

const DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/// The root-CA publisher and the service-account controller. Nothing is queued for them: they act on the
/// watch event itself, and remember nothing.
#[derive(Debug, Default)]
pub struct Publishers;

impl Controller for Publishers {
    /// A new namespace gets both objects; a deleted or changed one is put back.
    fn route(&mut self, v: &View, type_: WatchEventType, obj: &Arc<Object>) -> Decision {
        let mut d = Decision::none();
        let (ns, root_ca, account) = match (type_, &**obj) {
            (WatchEventType::Added, Object::Namespace(n)) => (n.metadata.name.clone(), true, true),
            (_, Object::ConfigMap(cm)) if cm.metadata.name == NAME => {
                (cm.metadata.namespace.clone(), true, false)
            }
            (WatchEventType::Deleted, Object::ServiceAccount(sa))
                if sa.metadata.name == "default" =>
            {
                (sa.metadata.namespace.clone(), false, true)
            }
            _ => return d,
        };
        let live = v
            .store
            .get_typed::<Namespace>("", &ns)
            .is_some_and(|n| !n.metadata.is_terminating());
        if !live {
            return d;
        }
        if root_ca {
            publish_root_ca(v, &ns, &mut d);
        }
        if account {
            // The account's uid is derived from the resourceVersion the ConfigMap's write leaves.
            d.then(move |v| {
                let mut d = Decision::none();
                if v.store
                    .get_typed::<ServiceAccount>(&ns, "default")
                    .is_none()
                {
                    let sa = ServiceAccount {
                        metadata: new_meta(v, &ns, "default"),
                        ..Default::default()
                    };
                    d.insert(Object::ServiceAccount(sa));
                }
                d
            });
        }
        d
    }

    fn reconcile(&mut self, _: &View, _: &ObjectKey) -> Decision {
        Decision::none()
    }
}

/// Metadata for an object the controller manager makes. The uid comes from a generator of its own, so
/// publishing does not shift the cluster's random sequence (node choices, names) that everything after it
/// draws from.
fn new_meta(v: &View, ns: &str, name: &str) -> ObjectMeta {
    let salt = format!("{ns}/{name}")
        .bytes()
        .fold(v.config.seed ^ v.store.resource_version(), |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    ObjectMeta {
        name: name.to_string(),
        namespace: ns.to_string(),
        uid: crate::rng::Rng::new(salt).uuid(),
        generation: 1,
        ..Default::default()
    }
}

fn publish_root_ca(v: &View, ns: &str, d: &mut Decision) {
    let data = [("ca.crt".to_string(), certificate(v.config.seed))].into();
    match v.store.get_typed::<ConfigMap>(ns, NAME) {
        Some(cm) if cm.data == data && cm.metadata.annotations.contains_key(DESCRIPTION_KEY) => {}
        Some(_) => {
            d.patch::<ConfigMap>(ns, NAME, |cm| {
                cm.data = data;
                cm.metadata
                    .annotations
                    .insert(DESCRIPTION_KEY.into(), DESCRIPTION.into());
            });
        }
        None => {
            let mut metadata = new_meta(v, ns, NAME);
            metadata
                .annotations
                .insert(DESCRIPTION_KEY.into(), DESCRIPTION.into());
            let cm = ConfigMap {
                metadata,
                data,
                ..Default::default()
            };
            d.insert(Object::ConfigMap(cm));
        }
    }
}

const DESCRIPTION_KEY: &str = "kubernetes.io/description";

/// The cluster's CA certificate in PEM form: DER-shaped bytes drawn from the cluster's seed (not a usable
/// certificate; nothing in the playground verifies TLS), wrapped at 64 columns as PEM is.
pub fn certificate(seed: u64) -> String {
    // A self-signed CA certificate is about 1,100 bytes of DER; it starts with a SEQUENCE header.
    let mut bytes = vec![
        0x30, 0x82, 0x03, 0x06, 0x30, 0x82, 0x01, 0xee, 0xa0, 0x03, 0x02, 0x01, 0x02,
    ];
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    while bytes.len() < 778 {
        // splitmix64: a fixed, seeded sequence.
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        bytes.extend_from_slice(&z.to_le_bytes());
    }
    bytes.truncate(778);
    let b64 = crate::base64::encode(&bytes);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(chunk));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}
