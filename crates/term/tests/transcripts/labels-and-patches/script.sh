# label, annotate, set image and the three patch types, with the errors a learner meets on the way.
kubectl apply -f web.yaml
sleep 1m
kubectl label pod web-0 tier=frontend
kubectl label pod web-0 tier=backend
kubectl label pod web-0 tier=backend --overwrite
kubectl label pod web-0 tier=backend --overwrite
kubectl get pods --show-labels
kubectl get pods -l tier=backend
kubectl label pod web-0 tier-
kubectl label pods -l app=nginx env=lab
kubectl label pod web-0 "bad=a b"
kubectl label pod web-0
kubectl annotate sts web kubernetes.io/change-cause="nginx-slim 0.21"
kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.21
kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.21
kubectl set image sts/web sidecar=busybox
kubectl rollout status sts/web
kubectl rollout history sts/web
kubectl patch sts web --type=merge -p '{"spec":{"minReadySeconds":5}}'
kubectl get sts web -o jsonpath='{.spec.minReadySeconds}{"\n"}'
kubectl patch sts web --type=merge -p '{"spec":{"minReadySeconds":null}}'
kubectl patch sts web -p 'spec: {replicas: 3}'
kubectl patch sts web -p '{"spec":{"replicas":3}}'
kubectl patch sts web --type=json -p '[{"op":"replace","path":"/spec/nope","value":1}]'
kubectl patch sts web --type=json -p '[{"op":"test","path":"/spec/replicas","value":5}]'
kubectl patch sts web -p '{"spec":{"replica":3}}'
kubectl patch sts web --type=merge -p '{"spec":{"replicas":"x"}}'
kubectl patch sts web -p '{"spec":{"replicas":-1}}'
kubectl patch sts web -p '{"spec":{"selector":{"matchLabels":{"app":"other"}}}}'
kubectl patch sts web --type=yaml -p '{}'
kubectl patch sts web
kubectl patch sts nope -p '{"spec":{"replicas":3}}'
