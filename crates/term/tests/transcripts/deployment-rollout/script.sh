# A Deployment rolled forward with set image and back with rollout undo: the reused ReplicaSet becomes revision 3.
kubectl apply -f app.yaml
kubectl rollout status deployment/hello
kubectl set image deployment/hello nginx=nginx:1.27
kubectl rollout status deployment/hello
kubectl rollout history deployment/hello
kubectl rollout undo deployment/hello
kubectl rollout status deployment/hello
kubectl rollout history deployment/hello
kubectl get rs
kubectl rollout undo deployment/hello --to-revision=3
