# kubectl cp: a page from the home directory into the web root on the PV, and back out; the file outlives the pod.
kubectl apply -f https://k8s.io/examples/application/web/web.yaml
sleep 30
cat > index.html <<'X'
<h1>hello from my laptop</h1>
X
kubectl cp index.html web-0:/usr/share/nginx/html/
kubectl exec web-0 -- curl -s localhost
kubectl cp web-0:/usr/share/nginx/html/index.html copy.html
cat copy.html
mkdir site
kubectl cp web-0:/usr/share/nginx/html site/html
ls site/html
kubectl cp web-0:/nope x
kubectl cp nothere.txt web-0:/tmp/
kubectl cp index.html ghost:/tmp/
kubectl cp a b
kubectl delete pod web-0
sleep 20
kubectl exec web-0 -- cat /usr/share/nginx/html/index.html
