# Inside the pods: exec, files on the volume surviving pod deletion, an interactive shell, kubectl run and logs.
kubectl apply -f web.yaml
kubectl rollout status sts/web
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'hostname'; done
kubectl exec web-0 -- hostname -f
kubectl exec web-0 -- cat /etc/hosts
kubectl exec web-0 -- cat /etc/resolv.conf
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
kubectl delete pod -l app=nginx
kubectl get pods -l app=nginx
for i in 0 1; do kubectl exec -i -t "web-$i" -- curl http://localhost/; done
kubectl scale sts web --replicas=3
kubectl rollout status sts/web
kubectl exec web-2 -- curl -s http://localhost/
kubectl exec web-2 -- ls -la /usr/share/nginx/html
kubectl exec web-0 -- nope
kubectl exec web-0 -- ls /nope
kubectl exec web-9 -- ls
kubectl exec web-0 ls /
kubectl exec web-0 -c nope -- ls
kubectl exec -it web-0 -- sh
cd /usr/share/nginx/html
ls
echo hi >> index.html
cat index.html
pwd
mkdir -p a/b && mv index.html a/b/ && ls a/b
exit
kubectl exec web-0 -- cat /usr/share/nginx/html/a/b/index.html
kubectl run hello --image=busybox:1.28 --restart=Never -i --rm -- sh -c 'echo hello from $(hostname); date'
kubectl run sleeper --image=busybox:1.28 --restart=Never -- sleep 30
kubectl get pods sleeper
sleep 45
kubectl get pods sleeper
kubectl logs sleeper
kubectl run echoer --image=busybox -- sh -c 'echo tick; exit 3'
sleep 40
kubectl get pod echoer
kubectl logs echoer
kubectl logs echoer --previous
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
hostname
cat /etc/resolv.conf
exit
kubectl get pods
kubectl run nginx --image=nginx:1.27
sleep 20
kubectl logs nginx
kubectl logs web-0
kubectl run bad --image=busybox --restart=Never -- nosuchcmd
sleep 10
kubectl get pod bad
