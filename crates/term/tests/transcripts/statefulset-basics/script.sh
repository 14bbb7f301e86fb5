# StatefulSet Basics (kubernetes.io), as the seminar-room seed runs it: in the learner's own namespace.
alias kubectl="kubectl -n $(id -un)"
kubectl apply -f web.yaml
kubectl get pods -w -l app=nginx
kubectl get service nginx
kubectl get statefulset web
kubectl get pvc -l app=nginx
for i in 0 1; do kubectl get pod "web-$i" -o jsonpath='{.spec.hostname}{"\n"}'; done
kubectl delete pod -l app=nginx
kubectl get pods -l app=nginx
kubectl scale sts web --replicas=5
sleep 2m
kubectl get pods -l app=nginx
kubectl scale sts web --replica=3
kubectl patch sts web -p '{"spec":{"replicas":3}}'
kubectl scale sts web --replicas=3
sleep 1m
kubectl get pvc -l app=nginx
kubectl get pods web-9
kubectl get statefulsett
