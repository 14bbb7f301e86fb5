# "Run a Replicated Stateful Application" (kubernetes/website
# content/en/docs/tasks/run-application/run-replicated-stateful-application.md; the seed ja-replicated-mysql.txt
# is an older translation of it), command by command. Where the page waits ("after a while", "after a few
# seconds") the script sleeps on the virtual clock; the page's `<node-name>` is the node `kubectl get pod
# mysql-2 -o wide` shows, and `--delete-local-data`, removed from kubectl, is today's `--delete-emptydir-data`.
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-services.yaml
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-statefulset.yaml
kubectl get pods -l app=mysql --watch
# Sending client traffic
kubectl run mysql-client --image=mysql:5.7 -i --rm --restart=Never --\
  mysql -h mysql-0.mysql <<EOF
CREATE DATABASE test;
CREATE TABLE test.messages (message VARCHAR(250));
INSERT INTO test.messages VALUES ('hello');
EOF
kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never --\
  mysql -h mysql-read -e "SELECT * FROM test.messages"
kubectl run mysql-client-loop --image=mysql:5.7 -i -t --rm --restart=Never --\
  bash -ic "while sleep 1; do mysql -h mysql-read -e 'SELECT @@server_id,NOW()'; done"
# Ctrl+C after 5s
# Not on the page: the replicas stream the primary's binlog, so the row is on every one of them.
kubectl exec mysql-1 -c mysql -- mysql -e 'SHOW SLAVE STATUS\G'
kubectl exec mysql-2 -c mysql -- mysql -e 'SELECT * FROM test.messages'
# Simulating Pod and Node downtime: break the readiness probe, then repair it
kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql /usr/bin/mysql.off
sleep 10
kubectl get pod mysql-2
kubectl exec mysql-2 -c mysql -- mv /usr/bin/mysql.off /usr/bin/mysql
sleep 10
kubectl get pod mysql-2
# Delete Pods: mysql-2 comes back with the same name and claim
kubectl delete pod mysql-2
sleep 1m
# Drain a Node
kubectl get pod mysql-2 -o wide
kubectl drain kind-worker2 --force --delete-emptydir-data --ignore-daemonsets
# mysql-1 was on the node too: the set recreates it first, and would create mysql-2 once mysql-1 is Ready.
sleep 15
kubectl get pod mysql-2 -o wide --watch
# Not on the page: on kind, whose local-path volumes live on one node, the claims keep both pods to the
# cordoned node, so mysql-1 waits in Pending until the node is uncordoned.
kubectl get pods -l app=mysql -o wide
kubectl describe pod mysql-1 | tail -1
kubectl uncordon kind-worker2
kubectl get pods -l app=mysql --watch
# Scaling the number of replicas
kubectl scale statefulset mysql  --replicas=5
kubectl get pods -l app=mysql --watch
kubectl run mysql-client --image=mysql:5.7 -i -t --rm --restart=Never --\
  mysql -h mysql-3.mysql -e "SELECT * FROM test.messages"
kubectl run mysql-client-loop --image=mysql:5.7 -i -t --rm --restart=Never --\
  bash -ic "while sleep 1; do mysql -h mysql-read -e 'SELECT @@server_id,NOW()'; done"
# Ctrl+C after 8s
kubectl scale statefulset mysql --replicas=3
sleep 1m
kubectl get pvc -l app=mysql
kubectl delete pvc data-mysql-3
kubectl delete pvc data-mysql-4
# Cleaning up. Ctrl+C already ended the loop, and --rm deleted its pod: the page's other way finds none.
kubectl delete pod mysql-client-loop --now
kubectl delete statefulset mysql
kubectl get pods -l app=mysql
sleep 1m
kubectl get pods -l app=mysql
kubectl delete configmap,service,pvc -l app=mysql
