# A paused Deployment takes template changes without rolling them out, still scales, refuses undo and restart,
# and rolls everything out at once when resumed.
kubectl apply -f app.yaml
kubectl set image deployment/hello nginx=nginx:1.26
kubectl rollout status deployment/hello
kubectl rollout pause deployment/hello
kubectl rollout pause deployment/hello
kubectl set image deployment/hello nginx=nginx:1.27
kubectl patch deployment hello -p '{"spec":{"template":{"metadata":{"labels":{"tier":"web"}}}}}'
sleep 30
kubectl get rs
kubectl get deployment hello
kubectl get deployment hello -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}{"\n"}'
kubectl scale deployment hello --replicas=4
sleep 30
kubectl get rs
kubectl rollout undo deployment/hello
kubectl rollout restart deployment/hello
kubectl rollout pause statefulset/hello
kubectl rollout resume deployment/hello
kubectl rollout status deployment/hello
kubectl get rs -o wide
kubectl rollout history deployment/hello
kubectl rollout resume deployment/hello
