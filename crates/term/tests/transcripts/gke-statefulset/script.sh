# The Taiwanese GKE tutorial (zh-tw-gke-statefulset) typed on kind: its class names GCE's in-tree provisioner
# (migrated to the GCE PD CSI driver, which kind does not run) and allows zones no kind node is in, so the
# first pod cannot be placed and nothing is provisioned. Asking for the cluster's class `standard` runs the set.
kubectl apply -f storageclass.yaml
kubectl apply -f statefulset.yaml
sleep 1m
kubectl get pods
kubectl get pvc
kubectl describe pvc nginx-persistent-storage-nginx-sts-0 | tail -n 3
kubectl describe pod nginx-sts-0 | tail -n 3
kubectl get storageclass
kubectl delete -f statefulset.yaml
kubectl delete pvc nginx-persistent-storage-nginx-sts-0
sed -i 's/storageClassName: standard-us-centrall-a-b-c/storageClassName: standard/' statefulset.yaml
grep storageClassName statefulset.yaml
kubectl apply -f statefulset.yaml
kubectl get pods -w
kubectl get sts -o wide
kubectl get pvc
