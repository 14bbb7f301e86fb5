# "Updating StatefulSets" from the kubernetes.io StatefulSet Basics tutorial, with the history and undo steps
# of the Traditional Chinese seed.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl patch sts web -p '{"spec":{"replicas":3}}'
kubectl rollout status sts/web
# Rolling update: a JSON patch of the image, then the update rolls from the highest ordinal down.
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.21"}]'
kubectl get pods -w -l app=nginx
kubectl rollout status sts/web
for p in 0 1 2; do kubectl get pod "web-$p" --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'; echo; done
kubectl rollout history sts/web
kubectl rollout history sts/web --revision=2
# Staging an update with a partition.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":3}}}}'
kubectl patch statefulset web --type='json' -p='[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"registry.k8s.io/nginx-slim:0.24"}]'
kubectl delete pod web-2
kubectl get pod web-2 --template '{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}'; echo
# Canary: lower the partition to 2.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'
kubectl rollout status sts/web
kubectl get pod -l app=nginx -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.containers[0].image}{"\n"}{end}'
# Phased roll out: partition 0.
kubectl patch statefulset web -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}}}'
kubectl rollout status sts/web
kubectl rollout history sts/web
# Undo goes back to the previous revision, which is renumbered rather than copied.
kubectl rollout undo sts/web
kubectl rollout status sts/web
kubectl rollout history sts/web
kubectl rollout undo sts/web --to-revision=1
kubectl rollout undo sts/web --to-revision=3
kubectl rollout restart sts/web
kubectl rollout status sts/web
kubectl get pod web-0 -o jsonpath='{.metadata.annotations}{"\n"}'
kubectl rollout status sts/nope
