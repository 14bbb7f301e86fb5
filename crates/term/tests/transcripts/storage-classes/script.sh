# Storage on the kind cluster: the default class, a class the API server refuses, the seminar-room StatefulSet
# whose template names a class that does not exist (created as the seminar's Rook class, which nothing on kind
# serves, then as a local-path class), resizing with no resizer, bad sizes, and static volumes.
kubectl get storageclass
kubectl apply -f weird-class.yaml
kubectl apply -f web.yaml
sleep 30
kubectl get pvc
kubectl get pods
kubectl describe pvc www-web-0
kubectl get events --field-selector involvedObject.name=web-0
kubectl apply -f rook-ceph-block.yaml
sleep 1m
kubectl get pvc
kubectl get pods
kubectl describe pvc www-web-0 | tail -n 4
# Nothing on kind runs Rook's provisioner: the class the template names becomes one kind serves.
kubectl delete storageclass rook-ceph-block
kubectl apply -f rook-ceph-block-kind.yaml
sleep 1m
kubectl get pvc
kubectl get pods
kubectl patch pvc www-web-0 -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
sleep 10
kubectl get pvc www-web-0
kubectl describe pvc www-web-0 | tail -n 8
kubectl apply -f data.yaml
sleep 30
kubectl get pvc data
kubectl patch pvc data -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
kubectl apply -f bad-size.yaml
kubectl apply -f negative-size.yaml
kubectl apply -f static-pvs.yaml
kubectl apply -f manual-claim.yaml
kubectl get pv pv-small pv-large pv-shared
kubectl delete pvc manual
sleep 5
kubectl get pv pv-small pv-large pv-shared
kubectl describe pv pv-large
