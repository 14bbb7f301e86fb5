# kubectl expose: a Service from a Deployment's selector and ports, a pod's labels, or another Service;
# StatefulSets are refused as kubectl refuses them.
kubectl create deployment hello --image=nginx:1.27 --port=80 --replicas=2
kubectl expose deployment hello --type=NodePort
sleep 30
kubectl get svc hello -o wide
kubectl get endpointslices -l kubernetes.io/service-name=hello
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
sleep 30
kubectl expose sts web --port=80
kubectl expose pod web-0 --port=8080 --target-port=80 --name=web0
kubectl describe svc web0
kubectl expose deploy nothere
kubectl expose deployment hello
kubectl expose svc nginx --name=nginx-cluster --port=80
kubectl get svc
