# The learner's home directory, as the seminar-room seed uses it: a work folder named by date, a file written
# with a heredoc, the tutorial's manifests fetched by URL (served offline), and kubectl reading them.
TD=$(date +%Y%m%d.%H%M).stateful-mysql-example
echo ${TD}
mkdir ${TD}
cd ${TD}
pwd
cat > kustomization.yaml <<EOF
resources:
- mysql-services.yaml
EOF
curl -LO https://k8s.io/examples/application/mysql/mysql-services.yaml
ls -l
cat kustomization.yaml
kubectl apply -f mysql-services.yaml
kubectl apply -f https://k8s.io/examples/application/mysql/mysql-configmap.yaml
kubectl get configmap mysql -o json | jq .data
kubectl apply -f https://example.com/app.yaml
kubectl apply -f https://k8s.io/examples/application/nope.yaml
cd ..
ls
cd nowhere
rm ${TD}
vi kustomization.yaml
