# kubectl wait for conditions, deletion and jsonpath values; draining a node moves StatefulSet pods, which keep
# their names and claims, and local-path volumes pin them to the drained node. --delete-local-data is gone since
# kubectl 1.31 (the MySQL tutorial's page still types it); --delete-emptydir-data replaced it.
kubectl apply -f web.yaml
kubectl wait --for=condition=Ready pod/web-0
kubectl wait --for=condition=Ready pod -l app=nginx --timeout=2m
kubectl wait --for=jsonpath='{.status.readyReplicas}'=2 sts/web
kubectl wait --for=jsonpath='{.status.phase}'=Bound pvc/www-web-1
kubectl wait --for=condition=Ready=false pod/web-0 --timeout=10s
kubectl wait --for=condition=Ready pod/web-9
kubectl wait pod/web-0
kubectl get pods -o wide
kubectl drain kind-worker
kubectl drain kind-worker --ignore-daemonsets
kubectl get pods -o wide
kubectl get nodes
kubectl describe pod web-0 | grep FailedScheduling
kubectl uncordon kind-worker
sleep 10
kubectl get pods -o wide
kubectl delete pod web-1 --wait=false
kubectl wait --for=delete pod/web-1 --timeout=1m
kubectl create deployment hello --image=nginx:1.27 --replicas=2
# A pod no controller manages, on the node to drain.
kubectl run solo --image=nginx:1.27 --overrides='{"spec":{"nodeSelector":{"kubernetes.io/hostname":"kind-worker"}}}'
sleep 30
kubectl wait --for=condition=Available deployment/hello
kubectl drain kind-worker --ignore-daemonsets
kubectl drain kind-worker --ignore-daemonsets --force --delete-local-data
kubectl drain kind-worker --ignore-daemonsets --force --delete-emptydir-data
kubectl get pods -o wide
