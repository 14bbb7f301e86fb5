# What learners type from the seeds and kubernetes.io, answered as kubectl 1.34 answers it: global flags before
# the command (the seminar seed's kubectl -n $(id -un)), custom columns with kubectl's relaxed paths (the zh-TW
# seed), grep/tr/read one-liners, removing a prefixed label, scale's preconditions, a rollout status that times
# out, the MySQL tutorial's drain (its --delete-local-data is gone since 1.31) and its wide watch.
kubectl -n $(id -un) apply -f web.yaml
kubectl -n $(id -un) rollout status sts/web
kubectl -n $(id -un) get pods -l app=nginx -o custom-columns=NAME:metadata.name,IMAGE:spec.containers[0].image
kubectl get pods -n student -o wide --sort-by=.status.podIP
kubectl -n $(id -un) describe pod web-0 | grep -A4 '^Volumes:'
kubectl -n $(id -un) get pods -o jsonpath='{.items[*].metadata.name}' | tr ' ' '\n'; echo
kubectl -n $(id -un) get pods --no-headers | while read name ready status rest; do echo "$name is $status"; done
kubectl -n $(id -un) label pod web-1 statefulset.kubernetes.io/pod-name- app-
kubectl -n $(id -un) label pod web-1 app=nginx
kubectl -n $(id -un) scale sts web --current-replicas=3 --replicas=4
kubectl -n $(id -un) scale sts web --current-replicas=2 --replicas=3 --timeout=2m
kubectl -n $(id -un) set image sts/web nginx=registry.k8s.io/nginx-slim:0.999
kubectl rollout -n $(id -un) status sts/web --timeout=20s
kubectl -n $(id -un) rollout undo sts/web
kubectl -n $(id -un) delete pod web-2
kubectl -n $(id -un) rollout status sts/web
kubectl drain kind-worker --force --delete-local-data --ignore-daemonsets
kubectl drain -l kubernetes.io/hostname=kind-worker --force --delete-emptydir-data --ignore-daemonsets
kubectl uncordon -l kubernetes.io/hostname=kind-worker
kubectl -n $(id -un) get pod web-0 -o wide --watch
