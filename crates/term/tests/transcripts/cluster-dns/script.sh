# Cluster DNS from inside pods, as the seeds look it up: busybox 1.28 nslookup through the search list, the
# newer busybox format, dig SRV with the additional section, and wget/curl reaching pods by name.
kubectl apply -f web.yaml
kubectl rollout status sts/web
kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm
nslookup web-0.nginx
nslookup nginx
nslookup web-0.nginx.default.svc.cluster.local
nslookup web-9.nginx
nslookup kubernetes.default
exit
kubectl run -it srvlookup --image=tutum/dnsutils --rm --restart=Never -- dig SRV nginx.default.svc.cluster.local
kubectl run -it bb --image=busybox --rm --restart=Never -- nslookup -type=a nginx.default.svc.cluster.local
kubectl run -it bb --image=busybox --rm --restart=Never -- nslookup nope
for i in 0 1; do kubectl exec "web-$i" -- sh -c 'echo "$(hostname)" > /usr/share/nginx/html/index.html'; done
kubectl run -i --tty --image busybox:1.28 client --restart=Never --rm -- wget -qO- web-1.nginx
kubectl exec web-0 -- curl -s web-1.nginx.default.svc.cluster.local
kubectl exec web-0 -- curl -s nope
kubectl run -it dig2 --image=tutum/dnsutils --rm --restart=Never -- dig +short web-0.nginx.default.svc.cluster.local
kubectl run -it dig3 --image=tutum/dnsutils --rm --restart=Never -- dig web-9.nginx.default.svc.cluster.local
