# kubectl edit, as the Traditional Chinese seed uses it to change replicas. A script has no editor to type
# into, so KUBE_EDITOR edits the file kubectl hands over, as it can on any machine.
kubectl apply -f web.yaml
KUBE_EDITOR="sed -i 's/replicas: 2/replicas: 3/'" kubectl edit sts web
kubectl get sts web
export KUBE_EDITOR="sed -i 's/replicas: 3/replicas: 3/'"
kubectl edit sts web
KUBE_EDITOR="sed -i 's/replicas: 3/replicas: -1/'" kubectl edit statefulset/web
KUBE_EDITOR="sed -i 's/^  name: web$/  name: web2/'" kubectl edit sts web
unset KUBE_EDITOR
kubectl edit sts web
kubectl edit sts nope
kubectl get secret
echo 'replicas: 5' | sed 's/5/1/'
