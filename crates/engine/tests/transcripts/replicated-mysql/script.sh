# The replicated MySQL tutorial (seed ja-replicated-mysql.txt), step by step.
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml
sleep 5m
kubectl get pods -l app=mysql
kubectl logs mysql-1 -c init-mysql
kubectl exec mysql-2 -c mysql -- cat /etc/mysql/conf.d/server-id.cnf
kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never -- mysql -h mysql-0.mysql <<EOF
CREATE DATABASE test;
CREATE TABLE test.messages (message VARCHAR(250));
INSERT INTO test.messages VALUES ('hello');
EOF
kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-read -e "SELECT * FROM test.messages"
kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off
sleep 10
kubectl get pod mysql-2
kubectl get endpoints mysql-read
kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql
sleep 10
kubectl get pod mysql-2
kubectl delete pod mysql-2
sleep 2m
kubectl get pod mysql-2
kubectl scale statefulset mysql --replicas=5
sleep 5m
kubectl get pods -l app=mysql
kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never -- mysql -h mysql-3.mysql -e "SELECT * FROM test.messages"
kubectl scale statefulset mysql --replicas=3
sleep 1m
kubectl get pvc -l app=mysql
kubectl delete pvc data-mysql-3
kubectl delete pvc data-mysql-4
