# kubectl create refuses what exists and changes nothing; replace swaps the object's content and needs it to
# exist; replace --force deletes and creates it again. Only apply records last-applied-configuration.
kubectl replace -f app.yaml
kubectl create -f app.yaml
kubectl get deployment hello -o jsonpath='{.metadata.annotations}{"\n"}'
kubectl create -f app-v2.yaml
kubectl get deployment hello -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl replace -f app-v2.yaml
kubectl get deployment hello -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl get deployment hello -o jsonpath='{.metadata.uid}{"\n"}' > uid-before
kubectl replace --force -f app.yaml
kubectl get deployment hello -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}'
kubectl get deployment hello -o jsonpath='{.metadata.uid}{"\n"}' > uid-after
cat uid-before uid-after | sort -u | wc -l
