# kubectl events: sorted by time, objects named by kind, repeats counted, --for and --types filters.
kubectl events
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
kubectl apply -f claim.yaml
sleep 1m
kubectl events --for pod/web-0
kubectl events --for sts/web
kubectl events --types=Warning
kubectl events --for pvc/data -A
kubectl events --types=Error
kubectl events --for web-0
