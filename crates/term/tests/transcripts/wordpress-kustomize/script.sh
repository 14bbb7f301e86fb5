# Example: Deploying WordPress and MySQL with Persistent Volumes (kubernetes.io), as the seminar-room seed runs
# it: kustomize built into kubectl generates the Secret, names it after a hash of its content, and rewrites the
# Deployments' secretKeyRef to that name.
kubectl apply -k ./
cat > kustomization.yaml <<EOF
secretGenerator:
- name: mysql-pass
  literals:
  - password=secret
EOF
cat >> kustomization.yaml <<EOF
resources:
- mysql-deployment.yaml
- wordpress-deployment.yaml
EOF
kubectl kustomize .
kubectl apply -k ./
kubectl get secrets
kubectl get deploy/wordpress -o jsonpath='{..spec.containers[0].env[?(@.name == "WORDPRESS_DB_PASSWORD")]}' | jq .
sleep 1m
kubectl get pvc
kubectl get pods
kubectl get services wordpress
kubectl delete -k ./
kubectl apply -k app
