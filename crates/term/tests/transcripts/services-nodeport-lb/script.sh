# The Korean seed's nginx web cluster (ko-nginx-web-cluster.txt), on apps/v1 and the default StorageClass: a
# NodePort Service with nodePort 30080 and a headless Service in front of a StatefulSet. Each pod writes its
# FQDN into index.html; repeated curl from the learner's machine (a kind host, which reaches the nodes'
# addresses) through the node port lands on different pods. Then the same Service as a LoadBalancer.
kubectl create namespace ns-statefulset
kubectl create -f nginx-statefulset-test.yaml
# The seed's image, nginx-slim:0.8, is a Docker schema-1 image: today's kind nodes (containerd 2.1) refuse to
# pull it. The StatefulSet stops at its first pod, which never becomes Ready.
sleep 30
kubectl get pods -n ns-statefulset
kubectl describe pod nginx-ss-0 -n ns-statefulset | tail -n 8
# A newer tag of the same image fixes the template, but the stuck pod keeps the old one until it is deleted
# (the StatefulSet docs' "Forced rollback").
kubectl set image sts/nginx-ss nginx=registry.k8s.io/nginx-slim:0.24 -n ns-statefulset
sleep 10
kubectl get pods -n ns-statefulset
kubectl delete pod nginx-ss-0 -n ns-statefulset
kubectl rollout status sts/nginx-ss -n ns-statefulset
kubectl get service -n ns-statefulset
for i in $(seq 0 2); \
  do kubectl exec nginx-ss-$i -n ns-statefulset \
    -- sh -c 'echo $(hostname -f) > /usr/share/nginx/html/index.html'; \
  done
for i in $(seq 0 2); do kubectl exec nginx-ss-$i -n ns-statefulset -- sh -c 'curl -s localhost'; done
kubectl get nodes -o wide
curl -s http://172.18.0.3:30080
curl -s http://172.18.0.3:30080
curl -s http://172.18.0.3:30080
curl -s http://172.18.0.3:30080
curl -s http://172.18.0.4:30080
curl -s http://172.18.0.2:30080
curl -s http://172.18.0.3:30081
kubectl exec -n ns-statefulset nginx-ss-0 -- curl -s 172.18.0.4:30080
kubectl run -n ns-statefulset -it busybox --image=busybox --rm --restart=Never -- wget -qO- nginx-ss-1.nginx-hs.ns-statefulset.svc.cluster.local
kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  type: NodePort
  selector:
    app: other
  ports:
  - port: 80
    nodePort: 30080
EOF
kubectl patch service nginx-svc -n ns-statefulset -p '{"spec":{"type":"LoadBalancer"}}'
kubectl get service nginx-svc -n ns-statefulset -w
curl -s http://172.18.255.200/
curl -s http://172.18.255.200/
curl -s http://172.18.255.200/
kubectl describe service nginx-svc -n ns-statefulset
kubectl delete service -n ns-statefulset nginx-svc
kubectl get events -n ns-statefulset --field-selector involvedObject.kind=Service
