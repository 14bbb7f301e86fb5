# The learner's connection: kind's kubeconfig (one context, kind-kind), switching the default namespace with
# set-context (which writes `namespace: default` when told so, and drops it when given none), cluster-info, auth,
# and top without a metrics-server.
kubectl cluster-info
kubectl config current-context
kubectl config get-contexts
kubectl config set-context --current --namespace=student
kubectl config get-contexts
kubectl config view --minify -o jsonpath='{..namespace}'
echo
kubectl create deployment hello --image=nginx:1.27
kubectl get deployments
kubectl get deployments -n default
kubectl config view
kubectl config set-context --current --namespace=default
kubectl get deployments
kubectl config view --minify -o jsonpath='{..namespace}'
echo
kubectl config get-contexts
kubectl config set-context --current --namespace=
kubectl config get-contexts
kubectl auth can-i create pods
kubectl auth can-i
kubectl auth whoami
kubectl top pods
kubectl config use-context prod
