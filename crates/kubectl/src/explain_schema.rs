//! The API documentation `kubectl explain` prints: every type reachable from the kinds the engine knows, with
//! the real field names, type names, required markers and enum values of the Kubernetes API. Fields are sorted
//! by name, as kubectl prints them.
//!
//! The descriptions are written for Ordinal, in our own words; they are not copied from the Kubernetes sources.

use super::{Field, Ty, Type};

const STRING: Ty = Ty::Prim("string");
const INTEGER: Ty = Ty::Prim("integer");
const BOOLEAN: Ty = Ty::Prim("boolean");

const fn f(name: &'static str, ty: Ty, description: &'static str) -> Field {
    Field {
        name,
        ty,
        description,
        required: false,
        enums: &[],
    }
}

/// `(group, version, kind)` of each kind the engine serves, and its top-level schema.
pub(super) static KINDS: &[(&str, &str, &str, &Type)] = &[
    ("", "v1", "ConfigMap", &CONFIG_MAP),
    ("", "v1", "Endpoints", &ENDPOINTS),
    ("", "v1", "Event", &EVENT),
    ("", "v1", "Namespace", &NAMESPACE),
    ("", "v1", "Node", &NODE),
    ("", "v1", "PersistentVolume", &PERSISTENT_VOLUME),
    ("", "v1", "PersistentVolumeClaim", &PERSISTENT_VOLUME_CLAIM),
    ("", "v1", "Pod", &POD),
    ("", "v1", "Secret", &SECRET),
    ("", "v1", "Service", &SERVICE),
    ("", "v1", "ServiceAccount", &SERVICE_ACCOUNT),
    ("apps", "v1", "ControllerRevision", &CONTROLLER_REVISION),
    ("apps", "v1", "DaemonSet", &DAEMON_SET),
    ("apps", "v1", "Deployment", &DEPLOYMENT),
    ("apps", "v1", "ReplicaSet", &REPLICA_SET),
    ("apps", "v1", "StatefulSet", &STATEFUL_SET),
    ("discovery.k8s.io", "v1", "EndpointSlice", &ENDPOINT_SLICE),
    ("storage.k8s.io", "v1", "StorageClass", &STORAGE_CLASS),
];

pub(super) static AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE: Type = Type {
    name: "AWSElasticBlockStoreVolumeSource",
    primitive: None,
    description: "An AWS EBS disk. It must exist and be in the same zone as the node, and can be mounted read-write by one node only.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("partition", INTEGER, "Partition number to mount. Empty or 0 mounts the whole disk."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("volumeID", STRING, "ID of the EBS volume.").required(),
    ],
};

pub(super) static AFFINITY: Type = Type {
    name: "Affinity",
    primitive: None,
    description:
        "Scheduling rules that draw a pod toward, or away from, particular nodes and pods.",
    fields: &[
        f(
            "nodeAffinity",
            Ty::Ref(&NODE_AFFINITY),
            "Rules about which nodes the pod should run on, based on node labels.",
        ),
        f(
            "podAffinity",
            Ty::Ref(&POD_AFFINITY),
            "Rules to place the pod near other pods, such as in the same zone or on the same node.",
        ),
        f(
            "podAntiAffinity",
            Ty::Ref(&POD_ANTI_AFFINITY),
            "Rules to keep the pod away from other pods, such as spreading replicas across nodes.",
        ),
    ],
};

pub(super) static APP_ARMOR_PROFILE: Type = Type {
    name: "AppArmorProfile",
    primitive: None,
    description: "AppArmor settings for a pod or container.",
    fields: &[
        f("localhostProfile", STRING, "Name of a profile already loaded on the node. Required with type `Localhost`, not allowed otherwise."),
        f("type", STRING, "Which kind of profile.\n - `Localhost`: a profile already loaded on the node.\n - `RuntimeDefault`: whatever profile the runtime applies by default.\n - `Unconfined`: AppArmor is not enforced.").required().enums(&["Localhost", "RuntimeDefault", "Unconfined"]),
    ],
};

pub(super) static ATTACHED_VOLUME: Type = Type {
    name: "AttachedVolume",
    primitive: None,
    description: "A volume attached to a node.",
    fields: &[
        f(
            "devicePath",
            STRING,
            "Device path where the volume appears.",
        )
        .required(),
        f("name", STRING, "Name of the volume.").required(),
    ],
};

pub(super) static AZURE_DISK_VOLUME_SOURCE: Type = Type {
    name: "AzureDiskVolumeSource",
    primitive: None,
    description: "An Azure data disk mounted on the node.",
    fields: &[
        f("cachingMode", STRING, "Host caching. Defaults to `ReadWrite`.\n - `None`: no caching.\n - `ReadOnly`: cache reads.\n - `ReadWrite`: cache reads and writes.").enums(&["None", "ReadOnly", "ReadWrite"]),
        f("diskName", STRING, "Name of the disk.").required(),
        f("diskURI", STRING, "URI of the disk.").required(),
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("kind", STRING, "Kind of disk. Defaults to `Shared`.\n - `Dedicated`: a blob disk in its own storage account.\n - `Managed`: an Azure managed disk.\n - `Shared`: blob disks sharing a storage account.").enums(&["Dedicated", "Managed", "Shared"]),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
    ],
};

pub(super) static AZURE_FILE_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "AzureFilePersistentVolumeSource",
    primitive: None,
    description: "An Azure File share mounted on the node.",
    fields: &[
        f(
            "readOnly",
            BOOLEAN,
            "When true the volume is mounted read-only. Defaults to false.",
        ),
        f(
            "secretName",
            STRING,
            "Secret holding the storage account name and key.",
        )
        .required(),
        f(
            "secretNamespace",
            STRING,
            "Namespace of that Secret. Defaults to the pod's.",
        ),
        f("shareName", STRING, "Name of the share.").required(),
    ],
};

pub(super) static AZURE_FILE_VOLUME_SOURCE: Type = Type {
    name: "AzureFileVolumeSource",
    primitive: None,
    description: "An Azure File share mounted on the node.",
    fields: &[
        f(
            "readOnly",
            BOOLEAN,
            "When true the volume is mounted read-only. Defaults to false.",
        ),
        f(
            "secretName",
            STRING,
            "Secret holding the storage account name and key.",
        )
        .required(),
        f("shareName", STRING, "Name of the share.").required(),
    ],
};

pub(super) static CSI_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "CSIPersistentVolumeSource",
    primitive: None,
    description: "A persistent volume managed by a CSI driver.",
    fields: &[
        f(
            "controllerExpandSecretRef",
            Ty::Ref(&SECRET_REFERENCE),
            "Secret passed to the driver when expanding the volume.",
        ),
        f(
            "controllerPublishSecretRef",
            Ty::Ref(&SECRET_REFERENCE),
            "Secret passed to the driver when attaching the volume to a node.",
        ),
        f("driver", STRING, "Name of the CSI driver.").required(),
        f(
            "fsType",
            STRING,
            "Filesystem type to mount, such as `ext4`.",
        ),
        f(
            "nodeExpandSecretRef",
            Ty::Ref(&SECRET_REFERENCE),
            "Secret passed to the driver when expanding the volume on the node.",
        ),
        f(
            "nodePublishSecretRef",
            Ty::Ref(&SECRET_REFERENCE),
            "Secret passed to the driver when mounting the volume for a pod.",
        ),
        f(
            "nodeStageSecretRef",
            Ty::Ref(&SECRET_REFERENCE),
            "Secret passed to the driver when preparing the volume on the node.",
        ),
        f(
            "readOnly",
            BOOLEAN,
            "Mount read-only when true. Defaults to false.",
        ),
        f(
            "volumeAttributes",
            Ty::Map(&STRING),
            "Driver-specific settings of the volume.",
        ),
        f(
            "volumeHandle",
            STRING,
            "ID of the volume, as the driver knows it.",
        )
        .required(),
    ],
};

pub(super) static CSI_VOLUME_SOURCE: Type = Type {
    name: "CSIVolumeSource",
    primitive: None,
    description: "An inline ephemeral volume from a CSI driver.",
    fields: &[
        f("driver", STRING, "Name of the CSI driver.").required(),
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`. Passed to the driver, which picks a default when unset."),
        f("nodePublishSecretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Secret with data the driver needs to mount the volume."),
        f("readOnly", BOOLEAN, "Mount read-only when true. Defaults to false."),
        f("volumeAttributes", Ty::Map(&STRING), "Driver-specific settings."),
    ],
};

pub(super) static CAPABILITIES: Type = Type {
    name: "Capabilities",
    primitive: None,
    description: "Linux capabilities to add to or remove from the container's default set.",
    fields: &[
        f(
            "add",
            Ty::Array(&STRING),
            "Capabilities to add, such as NET_ADMIN.",
        ),
        f(
            "drop",
            Ty::Array(&STRING),
            "Capabilities to remove, such as ALL.",
        ),
    ],
};

pub(super) static CEPH_FS_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "CephFSPersistentVolumeSource",
    primitive: None,
    description: "A CephFS mount. It is not owned by the pod's lifecycle.",
    fields: &[
        f("monitors", Ty::Array(&STRING), "Ceph monitor addresses.").required(),
        f(
            "path",
            STRING,
            "Path within the filesystem to mount. Defaults to /.",
        ),
        f(
            "readOnly",
            BOOLEAN,
            "When true the volume is mounted read-only. Defaults to false.",
        ),
        f(
            "secretFile",
            STRING,
            "Path to the key ring for user. Defaults to /etc/ceph/user.secret.",
        ),
        f(
            "secretRef",
            Ty::Ref(&SECRET_REFERENCE),
            "Reference to a Secret that holds the credentials this volume plugin needs.",
        ),
        f("user", STRING, "Ceph user name. Defaults to admin."),
    ],
};

pub(super) static CEPH_FS_VOLUME_SOURCE: Type = Type {
    name: "CephFSVolumeSource",
    primitive: None,
    description: "A CephFS mount. It is not owned by the pod's lifecycle.",
    fields: &[
        f("monitors", Ty::Array(&STRING), "Ceph monitor addresses.").required(),
        f(
            "path",
            STRING,
            "Path within the filesystem to mount. Defaults to /.",
        ),
        f(
            "readOnly",
            BOOLEAN,
            "When true the volume is mounted read-only. Defaults to false.",
        ),
        f(
            "secretFile",
            STRING,
            "Path to the key ring for user. Defaults to /etc/ceph/user.secret.",
        ),
        f(
            "secretRef",
            Ty::Ref(&LOCAL_OBJECT_REFERENCE),
            "Reference to a Secret that holds the credentials this volume plugin needs.",
        ),
        f("user", STRING, "Ceph user name. Defaults to admin."),
    ],
};

pub(super) static CINDER_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "CinderPersistentVolumeSource",
    primitive: None,
    description: "An OpenStack Cinder volume. It must exist before mounting.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&SECRET_REFERENCE), "Reference to a Secret that holds the credentials this volume plugin needs."),
        f("volumeID", STRING, "ID of the Cinder volume.").required(),
    ],
};

pub(super) static CINDER_VOLUME_SOURCE: Type = Type {
    name: "CinderVolumeSource",
    primitive: None,
    description: "An OpenStack Cinder volume. It must exist before mounting.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Reference to a Secret that holds the credentials this volume plugin needs."),
        f("volumeID", STRING, "ID of the Cinder volume.").required(),
    ],
};

pub(super) static CLIENT_IP_CONFIG: Type = Type {
    name: "ClientIPConfig",
    primitive: None,
    description: "Settings for sticking a client IP to one pod.",
    fields: &[
        f("timeoutSeconds", INTEGER, "How long a client stays stuck to its pod after its last request, between 1 and 86400 seconds. Defaults to 10800 (3 hours)."),
    ],
};

pub(super) static CLUSTER_TRUST_BUNDLE_PROJECTION: Type = Type {
    name: "ClusterTrustBundleProjection",
    primitive: None,
    description: "Certificates from ClusterTrustBundle objects, written as one PEM file.",
    fields: &[
        f("labelSelector", Ty::Ref(&LABEL_SELECTOR), "Picks bundles by label; all matching bundles are joined. Used with signerName. An empty selector matches everything."),
        f("name", STRING, "Picks one bundle by name. Cannot be combined with signerName and labelSelector."),
        f("optional", BOOLEAN, "When true, no error is raised if nothing matches; an empty file is written or the file is left out."),
        f("path", STRING, "File path relative to the volume root.").required(),
        f("signerName", STRING, "Picks the bundles of this signer, combined with labelSelector."),
    ],
};

pub(super) static CONDITION: Type = Type {
    name: "Condition",
    primitive: None,
    description:
        "A generic observation about an object's state, in the common shape many APIs use.",
    fields: &[
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        )
        .required(),
        f(
            "message",
            STRING,
            "Human-readable details about the transition.",
        )
        .required(),
        f(
            "observedGeneration",
            INTEGER,
            "The metadata.generation the condition was set for.",
        ),
        f(
            "reason",
            STRING,
            "CamelCase word for the reason of the last transition.",
        )
        .required(),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f("type", STRING, "The condition's type, in CamelCase.").required(),
    ],
};

pub(super) static CONFIG_MAP: Type = Type {
    name: "ConfigMap",
    primitive: None,
    description: "Non-secret configuration data as key-value pairs, for pods to read as environment variables, files or command arguments.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("binaryData", Ty::Map(&STRING), "Binary values, base64-encoded. Keys must not also appear in data."),
        f("data", Ty::Map(&STRING), "Text values. Keys may contain letters, digits, `-`, `_` and `.`."),
        f("immutable", BOOLEAN, "When true, the data cannot be changed any more; only deleting and recreating works. It cannot be unset."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
    ],
};

pub(super) static CONFIG_MAP_ENV_SOURCE: Type = Type {
    name: "ConfigMapEnvSource",
    primitive: None,
    description: "Selects a ConfigMap whose keys become environment variables.",
    fields: &[
        f(
            "name",
            STRING,
            "Name of the ConfigMap in the pod's namespace.",
        ),
        f(
            "optional",
            BOOLEAN,
            "When true, a missing ConfigMap is not an error.",
        ),
    ],
};

pub(super) static CONFIG_MAP_KEY_SELECTOR: Type = Type {
    name: "ConfigMapKeySelector",
    primitive: None,
    description: "Picks one key of a ConfigMap.",
    fields: &[
        f("key", STRING, "The key to read.").required(),
        f(
            "name",
            STRING,
            "Name of the ConfigMap in the pod's namespace.",
        ),
        f(
            "optional",
            BOOLEAN,
            "When true, a missing ConfigMap or key is not an error.",
        ),
    ],
};

pub(super) static CONFIG_MAP_NODE_CONFIG_SOURCE: Type = Type {
    name: "ConfigMapNodeConfigSource",
    primitive: None,
    description: "A ConfigMap holding a node's kubelet configuration. No longer used.",
    fields: &[
        f(
            "kubeletConfigKey",
            STRING,
            "Key of the ConfigMap holding the configuration.",
        )
        .required(),
        f("name", STRING, "Name of the ConfigMap.").required(),
        f("namespace", STRING, "Namespace of the ConfigMap.").required(),
        f(
            "resourceVersion",
            STRING,
            "Version of the ConfigMap. Not allowed in spec.",
        ),
        f("uid", STRING, "UID of the ConfigMap. Not allowed in spec."),
    ],
};

pub(super) static CONFIG_MAP_PROJECTION: Type = Type {
    name: "ConfigMapProjection",
    primitive: None,
    description: "ConfigMap keys written into a projected volume.",
    fields: &[
        f("items", Ty::Array(&Ty::Ref(&KEY_TO_PATH)), "Picks which keys to project and the file path of each. Without it every key becomes a file named after the key."),
        f("name", STRING, "Name of the ConfigMap in the pod's namespace."),
        f("optional", BOOLEAN, "When true, a missing ConfigMap or key is not an error."),
    ],
};

pub(super) static CONFIG_MAP_VOLUME_SOURCE: Type = Type {
    name: "ConfigMapVolumeSource",
    primitive: None,
    description: "Fills a volume with files made from a ConfigMap's keys: each key becomes a file named after it, holding its value.",
    fields: &[
        f("defaultMode", INTEGER, "Permission bits for the created files, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to 0644. Other mode bits may also be set by the system."),
        f("items", Ty::Array(&Ty::Ref(&KEY_TO_PATH)), "Picks which keys to project and the file path of each. Without it every key becomes a file named after the key. A listed key missing from the ConfigMap is an error unless optional is set."),
        f("name", STRING, "Name of the ConfigMap in the pod's namespace."),
        f("optional", BOOLEAN, "When true, a missing ConfigMap or key is not an error."),
    ],
};

pub(super) static CONTAINER: Type = Type {
    name: "Container",
    primitive: None,
    description: "One container of a pod: the image it runs and how it runs.",
    fields: &[
        f("args", Ty::Array(&STRING), "Arguments passed to the entrypoint. Replaces the image's CMD. $(VAR) refers to an environment variable and is expanded; $$(VAR) is kept as literal text. Cannot be updated."),
        f("command", Ty::Array(&STRING), "The entrypoint to run, as a list. Replaces the image's ENTRYPOINT. It is not run through a shell. $(VAR) references are expanded as in args. Cannot be updated."),
        f("env", Ty::Array(&Ty::Ref(&ENV_VAR)), "Variables added to the container's environment. Fixed after creation."),
        f("envFrom", Ty::Array(&Ty::Ref(&ENV_FROM_SOURCE)), "Sources, such as ConfigMaps and Secrets, whose keys all become environment variables. Entries in env win over these when a name repeats. Cannot be updated."),
        f("image", STRING, "The container image to run, such as `nginx:1.27`. Controllers like Deployments require it."),
        f("imagePullPolicy", STRING, "When the kubelet pulls the image. Defaults to `Always` for the `:latest` tag or no tag, otherwise `IfNotPresent`. Cannot be updated.\n - `Always`: pull every time the container starts.\n - `IfNotPresent`: pull only when the image is not already on the node.\n - `Never`: never pull; the image must already be on the node.").enums(&["Always", "IfNotPresent", "Never"]),
        f("lifecycle", Ty::Ref(&LIFECYCLE), "Hooks the kubelet runs right after the container starts and before it stops. Cannot be updated."),
        f("livenessProbe", Ty::Ref(&PROBE), "Periodic check that the container is still working. When it fails, the container is restarted. Cannot be updated."),
        f("name", STRING, "Name of the container, unique within the pod and a valid DNS label. Cannot be updated.").required(),
        f("ports", Ty::Array(&Ty::Ref(&CONTAINER_PORT)), "Ports the container listens on. Listing a port is informational: a container listening on 0.0.0.0 is reachable on any port whether listed or not. Cannot be updated."),
        f("readinessProbe", Ty::Ref(&PROBE), "Periodic check that the container can take traffic. While it fails, the pod is removed from Service endpoints. Cannot be updated."),
        f("resizePolicy", Ty::Array(&Ty::Ref(&CONTAINER_RESIZE_POLICY)), "How the container handles changes to its resource requests and limits: in place, or by restarting."),
        f("resources", Ty::Ref(&RESOURCE_REQUIREMENTS), "Compute resources the container requests and the limits it must stay within."),
        f("restartPolicy", STRING, "Restart behaviour of this one container, overriding the pod's. Only allowed on init containers, where `Always` turns them into sidecars that start before the main containers and keep running."),
        f("restartPolicyRules", Ty::Array(&Ty::Ref(&CONTAINER_RESTART_RULE)), "Rules that decide, from the exit code, whether this container is restarted when it exits. They take precedence over restartPolicy."),
        f("securityContext", Ty::Ref(&SECURITY_CONTEXT), "Security settings for this container, overriding the pod's where both are set."),
        f("startupProbe", Ty::Ref(&PROBE), "Check that the container has finished starting. Liveness and readiness probes wait until it succeeds; if it fails, the container is restarted. Cannot be updated."),
        f("stdin", BOOLEAN, "Keep a stdin buffer open for the container so something can attach to it. Defaults to false."),
        f("stdinOnce", BOOLEAN, "With stdin, close the stdin stream after the first attached client disconnects, so the container sees end of file. Defaults to false."),
        f("terminationMessagePath", STRING, "File inside the container that is read as the termination message when the container exits. Unset means /dev/termination-log. Cannot be updated."),
        f("terminationMessagePolicy", STRING, "Where the termination message comes from. Defaults to `File`. Cannot be updated.\n - `FallbackToLogsOnError`: use the file, or the end of the log if the file is empty and the container failed.\n - `File`: use only the file at terminationMessagePath.").enums(&["FallbackToLogsOnError", "File"]),
        f("tty", BOOLEAN, "Give the container a terminal (TTY). Needs stdin as well. Defaults to false."),
        f("volumeDevices", Ty::Array(&Ty::Ref(&VOLUME_DEVICE)), "Raw block devices from the pod's volumes that the container uses."),
        f("volumeMounts", Ty::Array(&Ty::Ref(&VOLUME_MOUNT)), "Volumes of the pod mounted into the container's filesystem. Cannot be updated."),
        f("workingDir", STRING, "Directory the command runs in. Defaults to the image's working directory. Cannot be updated."),
    ],
};

pub(super) static CONTAINER_EXTENDED_RESOURCE_REQUEST: Type = Type {
    name: "ContainerExtendedResourceRequest",
    primitive: None,
    description: "Maps a container's extended resource to a request in a ResourceClaim.",
    fields: &[
        f("containerName", STRING, "Name of the container.").required(),
        f("requestName", STRING, "Name of the request in the claim.").required(),
        f("resourceName", STRING, "Name of the extended resource.").required(),
    ],
};

pub(super) static CONTAINER_IMAGE: Type = Type {
    name: "ContainerImage",
    primitive: None,
    description: "A container image on a node.",
    fields: &[
        f("names", Ty::Array(&STRING), "Names the image is known by."),
        f("sizeBytes", INTEGER, "Size of the image in bytes."),
    ],
};

pub(super) static CONTAINER_PORT: Type = Type {
    name: "ContainerPort",
    primitive: None,
    description: "A network port one container listens on.",
    fields: &[
        f("containerPort", INTEGER, "The port number inside the container, between 1 and 65535.").required(),
        f("hostIP", STRING, "The node IP address to bind hostPort on."),
        f("hostPort", INTEGER, "Port to open on the node and forward to the container, between 1 and 65535. With hostNetwork it must equal containerPort. Rarely needed."),
        f("name", STRING, "Name of the port, unique within the pod, that Services can refer to instead of the number. Must be an IANA_SVC_NAME (up to 15 lowercase letters, digits and dashes)."),
        f("protocol", STRING, "Network protocol of the port. Defaults to `TCP`.\n - `SCTP`: Stream Control Transmission Protocol.\n - `TCP`: Transmission Control Protocol.\n - `UDP`: User Datagram Protocol.").enums(&["SCTP", "TCP", "UDP"]),
    ],
};

pub(super) static CONTAINER_RESIZE_POLICY: Type = Type {
    name: "ContainerResizePolicy",
    primitive: None,
    description: "How a container reacts when one resource is resized.",
    fields: &[
        f("resourceName", STRING, "The resource: `cpu` or `memory`.").required(),
        f("restartPolicy", STRING, "`NotRequired` (resize in place, the default) or `RestartContainer` (restart to apply).").required(),
    ],
};

pub(super) static CONTAINER_RESTART_RULE: Type = Type {
    name: "ContainerRestartRule",
    primitive: None,
    description: "A rule that decides whether an exited container is restarted.",
    fields: &[
        f(
            "action",
            STRING,
            "What to do when the rule matches. Only `Restart` exists.",
        )
        .required(),
        f(
            "exitCodes",
            Ty::Ref(&CONTAINER_RESTART_RULE_ON_EXIT_CODES),
            "The exit codes the rule matches.",
        ),
    ],
};

pub(super) static CONTAINER_RESTART_RULE_ON_EXIT_CODES: Type = Type {
    name: "ContainerRestartRuleOnExitCodes",
    primitive: None,
    description: "Exit codes a restart rule matches.",
    fields: &[
        f(
            "operator",
            STRING,
            "`In` matches the listed codes; `NotIn` matches every other code.",
        )
        .required(),
        f(
            "values",
            Ty::Array(&INTEGER),
            "The exit codes, at most 255, no duplicates.",
        ),
    ],
};

pub(super) static CONTAINER_STATE: Type = Type {
    name: "ContainerState",
    primitive: None,
    description: "State of a container. Exactly one field is set.",
    fields: &[
        f(
            "running",
            Ty::Ref(&CONTAINER_STATE_RUNNING),
            "The container is running.",
        ),
        f(
            "terminated",
            Ty::Ref(&CONTAINER_STATE_TERMINATED),
            "The container has ended.",
        ),
        f(
            "waiting",
            Ty::Ref(&CONTAINER_STATE_WAITING),
            "The container has not started yet.",
        ),
    ],
};

pub(super) static CONTAINER_STATE_RUNNING: Type = Type {
    name: "ContainerStateRunning",
    primitive: None,
    description: "A running container.",
    fields: &[f(
        "startedAt",
        Ty::Ref(&TIME),
        "When the container (last) started.",
    )],
};

pub(super) static CONTAINER_STATE_TERMINATED: Type = Type {
    name: "ContainerStateTerminated",
    primitive: None,
    description: "A container that has ended.",
    fields: &[
        f(
            "containerID",
            STRING,
            "ID of the container, as <runtime>://<id>.",
        ),
        f("exitCode", INTEGER, "Exit status of the last run.").required(),
        f("finishedAt", Ty::Ref(&TIME), "When it ended."),
        f("message", STRING, "Message about the termination."),
        f(
            "reason",
            STRING,
            "Short reason, such as `Completed`, `Error` or `OOMKilled`.",
        ),
        f(
            "signal",
            INTEGER,
            "Signal that ended the container, if any.",
        ),
        f("startedAt", Ty::Ref(&TIME), "When the run started."),
    ],
};

pub(super) static CONTAINER_STATE_WAITING: Type = Type {
    name: "ContainerStateWaiting",
    primitive: None,
    description: "A container that is not running yet.",
    fields: &[
        f("message", STRING, "Details about why it is waiting."),
        f(
            "reason",
            STRING,
            "Short reason, such as `ContainerCreating`, `CrashLoopBackOff` or `ImagePullBackOff`.",
        ),
    ],
};

pub(super) static CONTAINER_STATUS: Type = Type {
    name: "ContainerStatus",
    primitive: None,
    description: "Observed state of one container.",
    fields: &[
        f(
            "allocatedResources",
            Ty::Map(&Ty::Ref(&QUANTITY)),
            "Resources the node has allocated to the container.",
        ),
        f(
            "allocatedResourcesStatus",
            Ty::Array(&Ty::Ref(&RESOURCE_STATUS)),
            "Health of the devices allocated to the container.",
        ),
        f(
            "containerID",
            STRING,
            "ID of the container, as <runtime>://<id>.",
        ),
        f("image", STRING, "The image the container runs.").required(),
        f("imageID", STRING, "ID of the image, usually its digest.").required(),
        f(
            "lastState",
            Ty::Ref(&CONTAINER_STATE),
            "State of the previous run, useful after a restart.",
        ),
        f("name", STRING, "Name of the container.").required(),
        f("ready", BOOLEAN, "Whether the readiness probe passes.").required(),
        f(
            "resources",
            Ty::Ref(&RESOURCE_REQUIREMENTS),
            "Requests and limits the runtime applied.",
        ),
        f(
            "restartCount",
            INTEGER,
            "How many times the container has been restarted.",
        )
        .required(),
        f("started", BOOLEAN, "Whether the startup probe has passed."),
        f(
            "state",
            Ty::Ref(&CONTAINER_STATE),
            "Current state of the container.",
        ),
        f(
            "stopSignal",
            STRING,
            "Signal that will be used to stop the container.",
        )
        .enums(&[
            "SIGABRT",
            "SIGALRM",
            "SIGBUS",
            "SIGCHLD",
            "SIGCLD",
            "SIGCONT",
            "SIGFPE",
            "SIGHUP",
            "SIGILL",
            "SIGINT",
            "SIGIO",
            "SIGIOT",
            "SIGKILL",
            "SIGPIPE",
            "SIGPOLL",
            "SIGPROF",
            "SIGPWR",
            "SIGQUIT",
            "SIGRTMAX",
            "SIGRTMAX-1",
            "SIGRTMAX-10",
            "SIGRTMAX-11",
            "SIGRTMAX-12",
            "SIGRTMAX-13",
            "SIGRTMAX-14",
            "SIGRTMAX-2",
            "SIGRTMAX-3",
            "SIGRTMAX-4",
            "SIGRTMAX-5",
            "SIGRTMAX-6",
            "SIGRTMAX-7",
            "SIGRTMAX-8",
            "SIGRTMAX-9",
            "SIGRTMIN",
            "SIGRTMIN+1",
            "SIGRTMIN+10",
            "SIGRTMIN+11",
            "SIGRTMIN+12",
            "SIGRTMIN+13",
            "SIGRTMIN+14",
            "SIGRTMIN+15",
            "SIGRTMIN+2",
            "SIGRTMIN+3",
            "SIGRTMIN+4",
            "SIGRTMIN+5",
            "SIGRTMIN+6",
            "SIGRTMIN+7",
            "SIGRTMIN+8",
            "SIGRTMIN+9",
            "SIGSEGV",
            "SIGSTKFLT",
            "SIGSTOP",
            "SIGSYS",
            "SIGTERM",
            "SIGTRAP",
            "SIGTSTP",
            "SIGTTIN",
            "SIGTTOU",
            "SIGURG",
            "SIGUSR1",
            "SIGUSR2",
            "SIGVTALRM",
            "SIGWINCH",
            "SIGXCPU",
            "SIGXFSZ",
        ]),
        f(
            "user",
            Ty::Ref(&CONTAINER_USER),
            "Identity of the container's main process.",
        ),
        f(
            "volumeMounts",
            Ty::Array(&Ty::Ref(&VOLUME_MOUNT_STATUS)),
            "The container's volume mounts.",
        ),
    ],
};

pub(super) static CONTAINER_USER: Type = Type {
    name: "ContainerUser",
    primitive: None,
    description: "Identity of a container's main process.",
    fields: &[f(
        "linux",
        Ty::Ref(&LINUX_CONTAINER_USER),
        "Linux user and groups.",
    )],
};

pub(super) static CONTROLLER_REVISION: Type = Type {
    name: "ControllerRevision",
    primitive: None,
    description: "An immutable snapshot of a workload's pod template (for StatefulSets and DaemonSets), kept so the controller can track rollouts and roll back.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("data", Ty::Ref(&RAW_EXTENSION), "The saved state, in serialized form."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("revision", INTEGER, "Sequence number of this revision.").required(),
    ],
};

pub(super) static DAEMON_ENDPOINT: Type = Type {
    name: "DaemonEndpoint",
    primitive: None,
    description: "A port a daemon listens on.",
    fields: &[f("Port", INTEGER, "The port number.").required()],
};

pub(super) static DEPLOYMENT: Type = Type {
    name: "Deployment",
    primitive: None,
    description: "Runs interchangeable copies of a pod and rolls out template changes by creating new ReplicaSets and scaling old ones down.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&DEPLOYMENT_SPEC), "The desired pods and how to update them."),
        f("status", Ty::Ref(&DEPLOYMENT_STATUS), "What the controller last observed. It can lag behind."),
    ],
};

pub(super) static DEPLOYMENT_CONDITION: Type = Type {
    name: "DeploymentCondition",
    primitive: None,
    description: "One observation about a Deployment.",
    fields: &[
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        ),
        f(
            "lastUpdateTime",
            Ty::Ref(&TIME),
            "When the condition was last updated.",
        ),
        f("message", STRING, "Human-readable details."),
        f(
            "reason",
            STRING,
            "CamelCase word explaining the last transition.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f(
            "type",
            STRING,
            "The condition: `Available`, `Progressing` or `ReplicaFailure`.",
        )
        .required(),
    ],
};

pub(super) static DEPLOYMENT_SPEC: Type = Type {
    name: "DeploymentSpec",
    primitive: None,
    description: "The desired state of a Deployment.",
    fields: &[
        f("minReadySeconds", INTEGER, "How long a new pod must stay ready with no container crashing before it counts as available. Defaults to 0."),
        f("paused", BOOLEAN, "When true, template changes are not rolled out until it is set back to false."),
        f("progressDeadlineSeconds", INTEGER, "Seconds a rollout may go without progress before it is reported as failed in the conditions. It is not rolled back automatically. Defaults to 600."),
        f("replicas", INTEGER, "How many pods to run. Defaults to 1."),
        f("revisionHistoryLimit", INTEGER, "How many old ReplicaSets to keep for rollback. Defaults to 10."),
        f("selector", Ty::Ref(&LABEL_SELECTOR), "Label query for the pods this Deployment manages. Must match the template's labels; cannot be changed in apps/v1.").required(),
        f("strategy", Ty::Ref(&DEPLOYMENT_STRATEGY), "How old pods are replaced by new ones."),
        f("template", Ty::Ref(&POD_TEMPLATE_SPEC), "Blueprint for the pods. Its restartPolicy must be `Always`.").required(),
    ],
};

pub(super) static DEPLOYMENT_STATUS: Type = Type {
    name: "DeploymentStatus",
    primitive: None,
    description: "Observed state of a Deployment.",
    fields: &[
        f("availableReplicas", INTEGER, "Pods that have been ready for at least minReadySeconds."),
        f("collisionCount", INTEGER, "Counter mixed into new ReplicaSet names to avoid hash clashes."),
        f("conditions", Ty::Array(&Ty::Ref(&DEPLOYMENT_CONDITION)), "Latest observations, such as `Available` and `Progressing`."),
        f("observedGeneration", INTEGER, "The metadata.generation this status describes."),
        f("readyReplicas", INTEGER, "Pods whose Ready condition is true."),
        f("replicas", INTEGER, "Pods managed by this Deployment that are not terminating."),
        f("terminatingReplicas", INTEGER, "Pods that are shutting down but not yet gone."),
        f("unavailableReplicas", INTEGER, "Pods still needed to reach full availability: missing pods plus pods not yet available."),
        f("updatedReplicas", INTEGER, "Pods that run the current template."),
    ],
};

pub(super) static DEPLOYMENT_STRATEGY: Type = Type {
    name: "DeploymentStrategy",
    primitive: None,
    description: "How a Deployment replaces pods.",
    fields: &[
        f("rollingUpdate", Ty::Ref(&ROLLING_UPDATE_DEPLOYMENT), "Settings for `RollingUpdate`."),
        f("type", STRING, "The strategy. Defaults to `RollingUpdate`.\n - `Recreate`: stop all old pods, then start new ones.\n - `RollingUpdate`: replace pods gradually, within maxSurge and maxUnavailable.").enums(&["Recreate", "RollingUpdate"]),
    ],
};

pub(super) static DOWNWARD_API_PROJECTION: Type = Type {
    name: "DownwardAPIProjection",
    primitive: None,
    description: "Pod information written into a projected volume.",
    fields: &[f(
        "items",
        Ty::Array(&Ty::Ref(&DOWNWARD_API_VOLUME_FILE)),
        "The files to create, each with the field it holds.",
    )],
};

pub(super) static DOWNWARD_API_VOLUME_FILE: Type = Type {
    name: "DownwardAPIVolumeFile",
    primitive: None,
    description: "One downward API file and what it contains.",
    fields: &[
        f("fieldRef", Ty::Ref(&OBJECT_FIELD_SELECTOR), "A pod field to write: metadata.name, metadata.namespace, metadata.labels, metadata.annotations or metadata.uid."),
        f("mode", INTEGER, "Permission bits for this file, 0000 to 0777. Defaults to the volume's defaultMode."),
        f("path", STRING, "Relative path of the file. Must not be absolute or contain `..`.").required(),
        f("resourceFieldRef", Ty::Ref(&RESOURCE_FIELD_SELECTOR), "A container resource limit or request to write, such as limits.memory."),
    ],
};

pub(super) static DOWNWARD_API_VOLUME_SOURCE: Type = Type {
    name: "DownwardAPIVolumeSource",
    primitive: None,
    description: "A volume holding files with information about the pod itself.",
    fields: &[
        f(
            "defaultMode",
            INTEGER,
            "Permission bits for the created files, 0000 to 0777. Defaults to 0644.",
        ),
        f(
            "items",
            Ty::Array(&Ty::Ref(&DOWNWARD_API_VOLUME_FILE)),
            "The files to create, each with the field it holds.",
        ),
    ],
};

pub(super) static EMPTY_DIR_VOLUME_SOURCE: Type = Type {
    name: "EmptyDirVolumeSource",
    primitive: None,
    description: "An empty directory that lives as long as the pod.",
    fields: &[
        f("medium", STRING, "Storage backing the directory. Empty (the default) uses the node's disk; `Memory` uses a RAM-backed tmpfs."),
        f("sizeLimit", Ty::Ref(&QUANTITY), "Maximum size of the directory. When exceeded, the pod is evicted. For `Memory`, the smaller of this and the pod's memory limit applies. Unset means no limit of its own."),
    ],
};

pub(super) static ENDPOINT: Type = Type {
    name: "Endpoint",
    primitive: None,
    description: "One backend of a Service in an EndpointSlice.",
    fields: &[
        f(
            "addresses",
            Ty::Array(&STRING),
            "Addresses of the endpoint. Consumers use the first.",
        )
        .required(),
        f(
            "conditions",
            Ty::Ref(&ENDPOINT_CONDITIONS),
            "Current state of the endpoint.",
        ),
        f(
            "deprecatedTopology",
            Ty::Map(&STRING),
            "Old topology labels. Deprecated and no longer set.",
        ),
        f(
            "hints",
            Ty::Ref(&ENDPOINT_HINTS),
            "Routing hints for topology-aware routing.",
        ),
        f(
            "hostname",
            STRING,
            "Hostname of the endpoint, used for DNS records.",
        ),
        f("nodeName", STRING, "Node hosting the endpoint."),
        f(
            "targetRef",
            Ty::Ref(&OBJECT_REFERENCE),
            "The object behind the endpoint, usually a pod.",
        ),
        f("zone", STRING, "Zone the endpoint is in."),
    ],
};

pub(super) static ENDPOINT_ADDRESS: Type = Type {
    name: "EndpointAddress",
    primitive: None,
    description: "One address in an Endpoints object.",
    fields: &[
        f("hostname", STRING, "Hostname of the endpoint."),
        f("ip", STRING, "IP address of the endpoint.").required(),
        f("nodeName", STRING, "Node hosting the endpoint."),
        f(
            "targetRef",
            Ty::Ref(&OBJECT_REFERENCE),
            "The object behind the address, usually a pod.",
        ),
    ],
};

pub(super) static ENDPOINT_CONDITIONS: Type = Type {
    name: "EndpointConditions",
    primitive: None,
    description: "State of an endpoint.",
    fields: &[
        f("ready", BOOLEAN, "Whether the endpoint should receive traffic. Unset means unknown and should be treated as ready."),
        f("serving", BOOLEAN, "Like ready, but also true while the endpoint is terminating if it is still able to serve."),
        f("terminating", BOOLEAN, "Whether the endpoint is shutting down."),
    ],
};

pub(super) static ENDPOINT_HINTS: Type = Type {
    name: "EndpointHints",
    primitive: None,
    description: "Hints on which clients should use an endpoint.",
    fields: &[
        f(
            "forNodes",
            Ty::Array(&Ty::Ref(&FOR_NODE)),
            "Nodes whose clients should use this endpoint.",
        ),
        f(
            "forZones",
            Ty::Array(&Ty::Ref(&FOR_ZONE)),
            "Zones whose clients should use this endpoint.",
        ),
    ],
};

pub(super) static ENDPOINT_PORT: Type = Type {
    name: "EndpointPort",
    primitive: None,
    description: "A port in an Endpoints object.",
    fields: &[
        f("appProtocol", STRING, "Application protocol on the port, such as `http`."),
        f("name", STRING, "Name of the port, matching the Service port name. Optional if there is only one port."),
        f("port", INTEGER, "The port number.").required(),
        f("protocol", STRING, "Network protocol. Defaults to `TCP`.\n - `SCTP`: Stream Control Transmission Protocol.\n - `TCP`: Transmission Control Protocol.\n - `UDP`: User Datagram Protocol.").enums(&["SCTP", "TCP", "UDP"]),
    ],
};

pub(super) static DISCOVERY_ENDPOINT_PORT: Type = Type {
    name: "EndpointPort",
    primitive: None,
    description: "A port of the endpoints in an EndpointSlice.",
    fields: &[
        f("appProtocol", STRING, "Application protocol on the port, such as `http`."),
        f("name", STRING, "Name of the port, matching the Service port name. Empty if the Service has one unnamed port."),
        f("port", INTEGER, "The port number. Unset means all ports."),
        f("protocol", STRING, "Network protocol. Defaults to `TCP`.\n - `SCTP`: Stream Control Transmission Protocol.\n - `TCP`: Transmission Control Protocol.\n - `UDP`: User Datagram Protocol.").enums(&["SCTP", "TCP", "UDP"]),
    ],
};

pub(super) static ENDPOINT_SLICE: Type = Type {
    name: "EndpointSlice",
    primitive: None,
    description: "A group of network endpoints backing a Service. Services are split across several slices; the label kubernetes.io/service-name tells which Service a slice belongs to.",
    fields: &[
        f("addressType", STRING, "Type of addresses in the slice: `IPv4`, `IPv6` or `FQDN`. Cannot be changed.").required(),
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("endpoints", Ty::Array(&Ty::Ref(&ENDPOINT)), "The endpoints in the slice, at most 1000.").required(),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("ports", Ty::Array(&Ty::Ref(&DISCOVERY_ENDPOINT_PORT)), "Ports every endpoint in the slice exposes. Empty means no ports are defined."),
    ],
};

pub(super) static ENDPOINT_SUBSET: Type = Type {
    name: "EndpointSubset",
    primitive: None,
    description: "Addresses that share the same set of ports.",
    fields: &[
        f(
            "addresses",
            Ty::Array(&Ty::Ref(&ENDPOINT_ADDRESS)),
            "Addresses that are ready to receive traffic.",
        ),
        f(
            "notReadyAddresses",
            Ty::Array(&Ty::Ref(&ENDPOINT_ADDRESS)),
            "Addresses that are not ready yet.",
        ),
        f(
            "ports",
            Ty::Array(&Ty::Ref(&ENDPOINT_PORT)),
            "Ports the addresses share.",
        ),
    ],
};

pub(super) static ENDPOINTS: Type = Type {
    name: "Endpoints",
    primitive: None,
    description: "The addresses behind a Service, in the older format. Deprecated in favour of EndpointSlice.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("subsets", Ty::Array(&Ty::Ref(&ENDPOINT_SUBSET)), "Groups of addresses that share the same ports."),
    ],
};

pub(super) static ENV_FROM_SOURCE: Type = Type {
    name: "EnvFromSource",
    primitive: None,
    description: "A set of environment variables taken from all keys of a ConfigMap or Secret.",
    fields: &[
        f(
            "configMapRef",
            Ty::Ref(&CONFIG_MAP_ENV_SOURCE),
            "The ConfigMap to read the variables from.",
        ),
        f(
            "prefix",
            STRING,
            "Text added in front of every variable name taken from the source.",
        ),
        f(
            "secretRef",
            Ty::Ref(&SECRET_ENV_SOURCE),
            "The Secret to read the variables from.",
        ),
    ],
};

pub(super) static ENV_VAR: Type = Type {
    name: "EnvVar",
    primitive: None,
    description: "One environment variable of a container.",
    fields: &[
        f("name", STRING, "Name of the variable. Can be any printable characters except =.").required(),
        f("value", STRING, "The value. $(VAR) references to variables defined earlier in the list, or in the service environment, are expanded; $$(VAR) keeps the text literal; unknown references are left as is. Defaults to the empty string."),
        f("valueFrom", Ty::Ref(&ENV_VAR_SOURCE), "Reads the value from somewhere else instead. Cannot be used together with a non-empty value."),
    ],
};

pub(super) static ENV_VAR_SOURCE: Type = Type {
    name: "EnvVarSource",
    primitive: None,
    description: "Where an environment variable's value is read from. Set exactly one field.",
    fields: &[
        f("configMapKeyRef", Ty::Ref(&CONFIG_MAP_KEY_SELECTOR), "A key of a ConfigMap in the pod's namespace."),
        f("fieldRef", Ty::Ref(&OBJECT_FIELD_SELECTOR), "A field of the pod, such as metadata.name, metadata.namespace, metadata.labels['KEY'], spec.nodeName, status.podIP or status.hostIP."),
        f("fileKeyRef", Ty::Ref(&FILE_KEY_SELECTOR), "A key in an environment-variable file stored on one of the pod's volumes."),
        f("resourceFieldRef", Ty::Ref(&RESOURCE_FIELD_SELECTOR), "A resource limit or request of a container, such as limits.cpu or requests.memory."),
        f("secretKeyRef", Ty::Ref(&SECRET_KEY_SELECTOR), "A key from a Secret (same namespace as the pod)."),
    ],
};

pub(super) static EPHEMERAL_CONTAINER: Type = Type {
    name: "EphemeralContainer",
    primitive: None,
    description: "A temporary container added to a running pod, for example to debug it. It is never restarted, gets no resource guarantees, and may not use ports or probes.",
    fields: &[
        f("args", Ty::Array(&STRING), "Arguments passed to the entrypoint. Replaces the image's CMD. $(VAR) refers to an environment variable and is expanded; $$(VAR) is kept as literal text. Cannot be updated."),
        f("command", Ty::Array(&STRING), "The entrypoint to run, as a list. Replaces the image's ENTRYPOINT. It is not run through a shell. $(VAR) references are expanded as in args. Cannot be updated."),
        f("env", Ty::Array(&Ty::Ref(&ENV_VAR)), "Variables added to the container's environment. Fixed after creation."),
        f("envFrom", Ty::Array(&Ty::Ref(&ENV_FROM_SOURCE)), "Sources, such as ConfigMaps and Secrets, whose keys all become environment variables. Entries in env win over these when a name repeats. Cannot be updated."),
        f("image", STRING, "The container image to run, such as `nginx:1.27`. Controllers like Deployments require it."),
        f("imagePullPolicy", STRING, "When the kubelet pulls the image. Defaults to `Always` for the `:latest` tag or no tag, otherwise `IfNotPresent`. Cannot be updated.\n - `Always`: pull every time the container starts.\n - `IfNotPresent`: pull only when the image is not already on the node.\n - `Never`: never pull; the image must already be on the node.").enums(&["Always", "IfNotPresent", "Never"]),
        f("lifecycle", Ty::Ref(&LIFECYCLE), "Not allowed for ephemeral containers."),
        f("livenessProbe", Ty::Ref(&PROBE), "Not allowed for ephemeral containers."),
        f("name", STRING, "Name of the ephemeral container, unique among all containers of the pod and a valid DNS label.").required(),
        f("ports", Ty::Array(&Ty::Ref(&CONTAINER_PORT)), "Not allowed for ephemeral containers."),
        f("readinessProbe", Ty::Ref(&PROBE), "Not allowed for ephemeral containers."),
        f("resizePolicy", Ty::Array(&Ty::Ref(&CONTAINER_RESIZE_POLICY)), "Not allowed for ephemeral containers."),
        f("resources", Ty::Ref(&RESOURCE_REQUIREMENTS), "Not allowed: ephemeral containers use what the pod already has."),
        f("restartPolicy", STRING, "Not allowed for ephemeral containers."),
        f("restartPolicyRules", Ty::Array(&Ty::Ref(&CONTAINER_RESTART_RULE)), "Not allowed for ephemeral containers."),
        f("securityContext", Ty::Ref(&SECURITY_CONTEXT), "Security settings for this container, overriding the pod's."),
        f("startupProbe", Ty::Ref(&PROBE), "Not allowed for ephemeral containers."),
        f("stdin", BOOLEAN, "Keep a stdin buffer open for the container so something can attach to it. Defaults to false."),
        f("stdinOnce", BOOLEAN, "With stdin, close the stdin stream after the first attached client disconnects, so the container sees end of file. Defaults to false."),
        f("targetContainerName", STRING, "Name of a container whose namespaces (such as its process namespace) this container joins. When unset, it joins the pod's shared namespaces."),
        f("terminationMessagePath", STRING, "File inside the container that is read as the termination message when the container exits. Unset means /dev/termination-log. Cannot be updated."),
        f("terminationMessagePolicy", STRING, "Where the termination message comes from. Defaults to `File`. Cannot be updated.\n - `FallbackToLogsOnError`: use the file, or the end of the log if the file is empty and the container failed.\n - `File`: use only the file at terminationMessagePath.").enums(&["FallbackToLogsOnError", "File"]),
        f("tty", BOOLEAN, "Give the container a terminal (TTY). Needs stdin as well. Defaults to false."),
        f("volumeDevices", Ty::Array(&Ty::Ref(&VOLUME_DEVICE)), "Raw block devices from the pod's volumes that the container uses."),
        f("volumeMounts", Ty::Array(&Ty::Ref(&VOLUME_MOUNT)), "Volumes of the pod mounted into the container's filesystem. Cannot be updated."),
        f("workingDir", STRING, "Directory the command runs in. Defaults to the image's working directory. Cannot be updated."),
    ],
};

pub(super) static EPHEMERAL_VOLUME_SOURCE: Type = Type {
    name: "EphemeralVolumeSource",
    primitive: None,
    description: "A volume backed by a claim created for the pod. The claim is named <pod name>-<volume name> and is deleted with the pod.",
    fields: &[
        f("volumeClaimTemplate", Ty::Ref(&PERSISTENT_VOLUME_CLAIM_TEMPLATE), "Template for the claim. Required."),
    ],
};

pub(super) static EVENT: Type = Type {
    name: "Event",
    primitive: None,
    description: "A report of something that happened in the cluster, such as a pod being scheduled or an image failing to pull. Events are kept for a limited time.",
    fields: &[
        f("action", STRING, "What was done or failed, such as `Scheduling`."),
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("count", INTEGER, "How many times this event has occurred."),
        f("eventTime", Ty::Ref(&MICRO_TIME), "When the event first happened, with microsecond precision."),
        f("firstTimestamp", Ty::Ref(&TIME), "When the event was first recorded."),
        f("involvedObject", Ty::Ref(&OBJECT_REFERENCE), "The object the event is about.").required(),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("lastTimestamp", Ty::Ref(&TIME), "When the event was most recently recorded."),
        f("message", STRING, "Human-readable description of what happened."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in.").required(),
        f("reason", STRING, "Short CamelCase word for why the event happened, such as `FailedScheduling`."),
        f("related", Ty::Ref(&OBJECT_REFERENCE), "A second object involved, if any."),
        f("reportingComponent", STRING, "Name of the controller that emitted the event, such as `kubelet`."),
        f("reportingInstance", STRING, "ID of the controller instance, such as the kubelet's node name."),
        f("series", Ty::Ref(&EVENT_SERIES), "Data about a series of repeated events."),
        f("source", Ty::Ref(&EVENT_SOURCE), "The component that reported the event."),
        f("type", STRING, "`Normal` or `Warning`."),
    ],
};

pub(super) static EVENT_SERIES: Type = Type {
    name: "EventSeries",
    primitive: None,
    description: "A summary of a repeated event.",
    fields: &[
        f("count", INTEGER, "Occurrences in the series so far."),
        f(
            "lastObservedTime",
            Ty::Ref(&MICRO_TIME),
            "When the latest occurrence was seen.",
        ),
    ],
};

pub(super) static EVENT_SOURCE: Type = Type {
    name: "EventSource",
    primitive: None,
    description: "Which component reported an event.",
    fields: &[
        f("component", STRING, "Name of the component."),
        f("host", STRING, "Node the event came from."),
    ],
};

pub(super) static EXEC_ACTION: Type = Type {
    name: "ExecAction",
    primitive: None,
    description: "Runs a command inside the container.",
    fields: &[
        f("command", Ty::Array(&STRING), "The command and its arguments. It runs directly, not in a shell, from the container's root directory; to use shell features, call the shell explicitly. Exit status 0 means healthy."),
    ],
};

pub(super) static FC_VOLUME_SOURCE: Type = Type {
    name: "FCVolumeSource",
    primitive: None,
    description: "A Fibre Channel disk. Only one node can mount it read-write.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("lun", INTEGER, "Target LUN number."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("targetWWNs", Ty::Array(&STRING), "Target world wide names."),
        f("wwids", Ty::Array(&STRING), "World wide identifiers of the volume. Set either wwids, or targetWWNs with lun."),
    ],
};

pub(super) static FIELDS_V1: Type = Type {
    name: "FieldsV1",
    primitive: None,
    description: "A set of field paths encoded as a JSON tree, used by server-side apply.",
    fields: &[],
};

pub(super) static FILE_KEY_SELECTOR: Type = Type {
    name: "FileKeySelector",
    primitive: None,
    description: "Picks one key from an environment-variable file on a pod volume.",
    fields: &[
        f("key", STRING, "The variable name to read from the file.").required(),
        f("optional", BOOLEAN, "When true, a missing file or key is not an error and the variable is left unset; otherwise the pod fails to start."),
        f("path", STRING, "Path of the file, relative to the volume root. Must not be absolute or contain `..`.").required(),
        f("volumeName", STRING, "Name of the pod volume that holds the file.").required(),
    ],
};

pub(super) static FLEX_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "FlexPersistentVolumeSource",
    primitive: None,
    description: "A volume from a FlexVolume driver plugin.",
    fields: &[
        f("driver", STRING, "Name of the driver.").required(),
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("options", Ty::Map(&STRING), "Extra driver-specific options."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&SECRET_REFERENCE), "Reference to a Secret that holds the credentials this volume plugin needs."),
    ],
};

pub(super) static FLEX_VOLUME_SOURCE: Type = Type {
    name: "FlexVolumeSource",
    primitive: None,
    description: "A volume from a FlexVolume driver plugin.",
    fields: &[
        f("driver", STRING, "Name of the driver.").required(),
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("options", Ty::Map(&STRING), "Extra driver-specific options."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Reference to a Secret that holds the credentials this volume plugin needs."),
    ],
};

pub(super) static FLOCKER_VOLUME_SOURCE: Type = Type {
    name: "FlockerVolumeSource",
    primitive: None,
    description: "A Flocker dataset. Set exactly one of datasetName or datasetUUID.",
    fields: &[
        f("datasetName", STRING, "Name of the dataset."),
        f("datasetUUID", STRING, "UUID of the dataset."),
    ],
};

pub(super) static FOR_NODE: Type = Type {
    name: "ForNode",
    primitive: None,
    description: "A node an endpoint should serve.",
    fields: &[f("name", STRING, "Name of the node.").required()],
};

pub(super) static FOR_ZONE: Type = Type {
    name: "ForZone",
    primitive: None,
    description: "A zone an endpoint should serve.",
    fields: &[f("name", STRING, "Name of the zone.").required()],
};

pub(super) static GCE_PERSISTENT_DISK_VOLUME_SOURCE: Type = Type {
    name: "GCEPersistentDiskVolumeSource",
    primitive: None,
    description: "A Google Compute Engine persistent disk. It must exist and be in the node's project and zone; read-write by one node only.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("partition", INTEGER, "Partition number to mount. Empty or 0 mounts the whole disk."),
        f("pdName", STRING, "Name of the disk in GCE.").required(),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
    ],
};

pub(super) static GRPC_ACTION: Type = Type {
    name: "GRPCAction",
    primitive: None,
    description: "Calls the gRPC health-checking protocol.",
    fields: &[
        f("port", INTEGER, "Port number of the gRPC service, 1 to 65535.").required(),
        f("service", STRING, "Service name sent in the health check request. Empty means the server's overall health."),
    ],
};

pub(super) static GIT_REPO_VOLUME_SOURCE: Type = Type {
    name: "GitRepoVolumeSource",
    primitive: None,
    description: "A git repository cloned into an empty directory. Deprecated: use an init container and an emptyDir.",
    fields: &[
        f("directory", STRING, "Directory name to clone into. `.` clones into the volume root. Must not contain `..`."),
        f("repository", STRING, "URL of the repository.").required(),
        f("revision", STRING, "Commit to check out."),
    ],
};

pub(super) static GLUSTERFS_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "GlusterfsPersistentVolumeSource",
    primitive: None,
    description: "A GlusterFS mount that outlives the pod.",
    fields: &[
        f(
            "endpoints",
            STRING,
            "Name of the Endpoints object listing the Gluster servers.",
        )
        .required(),
        f(
            "endpointsNamespace",
            STRING,
            "Namespace of the Endpoints object. Defaults to the claim's namespace.",
        ),
        f("path", STRING, "Name of the Gluster volume.").required(),
        f(
            "readOnly",
            BOOLEAN,
            "Mount read-only when true. Defaults to false.",
        ),
    ],
};

pub(super) static GLUSTERFS_VOLUME_SOURCE: Type = Type {
    name: "GlusterfsVolumeSource",
    primitive: None,
    description: "A GlusterFS mount that outlives the pod.",
    fields: &[
        f(
            "endpoints",
            STRING,
            "Name of the Endpoints object listing the Gluster servers.",
        )
        .required(),
        f("path", STRING, "Name of the Gluster volume.").required(),
        f(
            "readOnly",
            BOOLEAN,
            "Mount read-only when true. Defaults to false.",
        ),
    ],
};

pub(super) static HTTP_GET_ACTION: Type = Type {
    name: "HTTPGetAction",
    primitive: None,
    description: "An HTTP GET request used as a probe or hook.",
    fields: &[
        f("host", STRING, "Host to connect to; unset means the pod IP; to set the Host header instead, use httpHeaders."),
        f("httpHeaders", Ty::Array(&Ty::Ref(&HTTP_HEADER)), "Extra headers to send. Repeated headers are allowed."),
        f("path", STRING, "Path to request on the server."),
        f("port", Ty::Ref(&INT_OR_STRING), "Port to connect to, as a number (1 to 65535) or the name of a container port.").required(),
        f("scheme", STRING, "Protocol to use. Defaults to `HTTP`.\n - `HTTP`: plain HTTP.\n - `HTTPS`: HTTP over TLS; the certificate is not verified.").enums(&["HTTP", "HTTPS"]),
    ],
};

pub(super) static HTTP_HEADER: Type = Type {
    name: "HTTPHeader",
    primitive: None,
    description: "One HTTP header.",
    fields: &[
        f("name", STRING, "Header name. Normalised on output, so differently cased names are treated as the same header.").required(),
        f("value", STRING, "Header value.").required(),
    ],
};

pub(super) static HOST_ALIAS: Type = Type {
    name: "HostAlias",
    primitive: None,
    description: "An extra /etc/hosts entry.",
    fields: &[
        f("hostnames", Ty::Array(&STRING), "Names that resolve to ip."),
        f("ip", STRING, "The IP address.").required(),
    ],
};

pub(super) static HOST_IP: Type = Type {
    name: "HostIP",
    primitive: None,
    description: "One IP address of a pod's node.",
    fields: &[f("ip", STRING, "The address.").required()],
};

pub(super) static HOST_PATH_VOLUME_SOURCE: Type = Type {
    name: "HostPathVolumeSource",
    primitive: None,
    description: "A file or directory on the node mounted into the pod. The pod sees whatever is on the node it runs on.",
    fields: &[
        f("path", STRING, "Path on the node. A symlink is followed to its target.").required(),
        f("type", STRING, "What must exist at path, checked before mounting. Defaults to `\"\"`.\n - `\"\"`: no check.\n - `BlockDevice`: a block device must exist.\n - `CharDevice`: a character device must exist.\n - `Directory`: a directory must exist.\n - `DirectoryOrCreate`: a directory, created empty (mode 0755) if missing.\n - `File`: a file must exist.\n - `FileOrCreate`: a file, created empty (mode 0644) if missing.\n - `Socket`: a UNIX socket must exist.").enums(&["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]),
    ],
};

pub(super) static ISCSI_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "ISCSIPersistentVolumeSource",
    primitive: None,
    description: "An iSCSI disk. Only one node can mount it read-write.",
    fields: &[
        f("chapAuthDiscovery", BOOLEAN, "Use CHAP authentication for iSCSI discovery."),
        f("chapAuthSession", BOOLEAN, "Use CHAP authentication for the iSCSI session."),
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("initiatorName", STRING, "Custom initiator name. With iscsiInterface, a new interface <portal>:<name> is created."),
        f("iqn", STRING, "iSCSI qualified name of the target.").required(),
        f("iscsiInterface", STRING, "Interface to use. Defaults to `default` (TCP)."),
        f("lun", INTEGER, "Target LUN number.").required(),
        f("portals", Ty::Array(&STRING), "Extra target portals, as IP or IP:port (port defaults to 3260)."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&SECRET_REFERENCE), "Secret with the CHAP credentials."),
        f("targetPortal", STRING, "Target portal, as IP or IP:port (port defaults to 3260).").required(),
    ],
};

pub(super) static ISCSI_VOLUME_SOURCE: Type = Type {
    name: "ISCSIVolumeSource",
    primitive: None,
    description: "An iSCSI disk. Only one node can mount it read-write.",
    fields: &[
        f("chapAuthDiscovery", BOOLEAN, "Use CHAP authentication for iSCSI discovery."),
        f("chapAuthSession", BOOLEAN, "Use CHAP authentication for the iSCSI session."),
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("initiatorName", STRING, "Custom initiator name. With iscsiInterface, a new interface <portal>:<name> is created."),
        f("iqn", STRING, "iSCSI qualified name of the target.").required(),
        f("iscsiInterface", STRING, "Interface to use. Defaults to `default` (TCP)."),
        f("lun", INTEGER, "Target LUN number.").required(),
        f("portals", Ty::Array(&STRING), "Extra target portals, as IP or IP:port (port defaults to 3260)."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Secret with the CHAP credentials."),
        f("targetPortal", STRING, "Target portal, as IP or IP:port (port defaults to 3260).").required(),
    ],
};

pub(super) static IMAGE_VOLUME_SOURCE: Type = Type {
    name: "ImageVolumeSource",
    primitive: None,
    description: "An OCI image or artifact whose files are mounted read-only.",
    fields: &[
        f("pullPolicy", STRING, "When the image is pulled. Defaults to `Always` for `:latest`, else `IfNotPresent`.\n - `Always`: always pull; the pod fails if the pull fails.\n - `IfNotPresent`: pull only if not on the node.\n - `Never`: never pull; the image must be on the node.").enums(&["Always", "IfNotPresent", "Never"]),
        f("reference", STRING, "The image to mount, like a container image reference."),
    ],
};

pub(super) static INT_OR_STRING: Type = Type {
    name: "IntOrString",
    primitive: None,
    description: "A value that can be an integer or a string, such as a port number or a port name, or a count or a percentage.",
    fields: &[],
};

pub(super) static KEY_TO_PATH: Type = Type {
    name: "KeyToPath",
    primitive: None,
    description: "Maps one key of a ConfigMap or Secret to a file path inside the volume.",
    fields: &[
        f("key", STRING, "The key to project.").required(),
        f(
            "mode",
            INTEGER,
            "Permission bits for this file, 0000 to 0777. Defaults to the volume's defaultMode.",
        ),
        f(
            "path",
            STRING,
            "Relative path of the file. Must not be absolute, contain `..`, or start with `..`.",
        )
        .required(),
    ],
};

pub(super) static LABEL_SELECTOR: Type = Type {
    name: "LabelSelector",
    primitive: None,
    description: "A query over labels. matchLabels and matchExpressions must all hold (AND). An empty selector matches everything; a missing one matches nothing.",
    fields: &[
        f("matchExpressions", Ty::Array(&Ty::Ref(&LABEL_SELECTOR_REQUIREMENT)), "Conditions on label keys and values."),
        f("matchLabels", Ty::Map(&STRING), "Labels that must be present with exactly these values. Each entry is the same as an `In` expression with one value."),
    ],
};

pub(super) static LABEL_SELECTOR_REQUIREMENT: Type = Type {
    name: "LabelSelectorRequirement",
    primitive: None,
    description: "One condition of a label selector: a key, an operator and values.",
    fields: &[
        f("key", STRING, "The label key.").required(),
        f("operator", STRING, "How the label is compared: `In`, `NotIn`, `Exists` or `DoesNotExist`.").required(),
        f("values", Ty::Array(&STRING), "Values to compare with. Required for `In` and `NotIn`, must be empty for `Exists` and `DoesNotExist`."),
    ],
};

pub(super) static LIFECYCLE: Type = Type {
    name: "Lifecycle",
    primitive: None,
    description: "Actions the kubelet runs on container lifecycle events. A failed hook blocks the container's start or stop.",
    fields: &[
        f("postStart", Ty::Ref(&LIFECYCLE_HANDLER), "Runs right after the container is created. If it fails, the container is killed and restarted according to the restart policy. The container is not marked running until it finishes."),
        f("preStop", Ty::Ref(&LIFECYCLE_HANDLER), "Runs right before the container is stopped for any reason other than a crash, such as API deletion or a failed probe. It must finish within the grace period, which keeps counting while it runs."),
        f("stopSignal", STRING, "Signal sent to stop the container, overriding the one set in the image. Any of the Linux signal names listed; requires spec.os.name.").enums(&["SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCLD", "SIGCONT", "SIGFPE", "SIGHUP", "SIGILL", "SIGINT", "SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL", "SIGPROF", "SIGPWR", "SIGQUIT", "SIGRTMAX", "SIGRTMAX-1", "SIGRTMAX-10", "SIGRTMAX-11", "SIGRTMAX-12", "SIGRTMAX-13", "SIGRTMAX-14", "SIGRTMAX-2", "SIGRTMAX-3", "SIGRTMAX-4", "SIGRTMAX-5", "SIGRTMAX-6", "SIGRTMAX-7", "SIGRTMAX-8", "SIGRTMAX-9", "SIGRTMIN", "SIGRTMIN+1", "SIGRTMIN+10", "SIGRTMIN+11", "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+2", "SIGRTMIN+3", "SIGRTMIN+4", "SIGRTMIN+5", "SIGRTMIN+6", "SIGRTMIN+7", "SIGRTMIN+8", "SIGRTMIN+9", "SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ"]),
    ],
};

pub(super) static LIFECYCLE_HANDLER: Type = Type {
    name: "LifecycleHandler",
    primitive: None,
    description: "One lifecycle hook action. Set exactly one field.",
    fields: &[
        f("exec", Ty::Ref(&EXEC_ACTION), "Run a command inside the container."),
        f("httpGet", Ty::Ref(&HTTP_GET_ACTION), "Send an HTTP GET request."),
        f("sleep", Ty::Ref(&SLEEP_ACTION), "Wait for a number of seconds."),
        f("tcpSocket", Ty::Ref(&TCP_SOCKET_ACTION), "Open a TCP connection. Kept for compatibility; it is not run as a hook. Use sleep or another action."),
    ],
};

pub(super) static LINUX_CONTAINER_USER: Type = Type {
    name: "LinuxContainerUser",
    primitive: None,
    description: "Linux user and groups of a container's main process.",
    fields: &[
        f("gid", INTEGER, "Primary group ID.").required(),
        f(
            "supplementalGroups",
            Ty::Array(&INTEGER),
            "Extra group IDs.",
        ),
        f("uid", INTEGER, "User ID.").required(),
    ],
};

pub(super) static LOAD_BALANCER_INGRESS: Type = Type {
    name: "LoadBalancerIngress",
    primitive: None,
    description: "One address of a load balancer.",
    fields: &[
        f("hostname", STRING, "DNS name of the load balancer, for providers that give one."),
        f("ip", STRING, "IP address of the load balancer, for providers that give one."),
        f("ipMode", STRING, "How traffic reaches the load balancer IP. `VIP` (the default) delivers it with that IP as destination; `Proxy` delivers it with the node or pod as destination."),
        f("ports", Ty::Array(&Ty::Ref(&PORT_STATUS)), "Status of each port of the Service on this address."),
    ],
};

pub(super) static LOAD_BALANCER_STATUS: Type = Type {
    name: "LoadBalancerStatus",
    primitive: None,
    description: "State of a load balancer.",
    fields: &[f(
        "ingress",
        Ty::Array(&Ty::Ref(&LOAD_BALANCER_INGRESS)),
        "Addresses the load balancer receives traffic on.",
    )],
};

pub(super) static LOCAL_OBJECT_REFERENCE: Type = Type {
    name: "LocalObjectReference",
    primitive: None,
    description: "Names an object in the same namespace.",
    fields: &[f(
        "name",
        STRING,
        "Name of the object. Empty is allowed but usually a mistake.",
    )],
};

pub(super) static LOCAL_VOLUME_SOURCE: Type = Type {
    name: "LocalVolumeSource",
    primitive: None,
    description: "Storage attached directly to one node.",
    fields: &[
        f("fsType", STRING, "Filesystem type, used only when path is a block device. Detected automatically when unset."),
        f("path", STRING, "Full path on the node: a directory, or a block device such as /dev/sdb.").required(),
    ],
};

pub(super) static MANAGED_FIELDS_ENTRY: Type = Type {
    name: "ManagedFieldsEntry",
    primitive: None,
    description: "Records which fields one field manager set through one kind of operation.",
    fields: &[
        f(
            "apiVersion",
            STRING,
            "API version of the object when the fields were recorded.",
        ),
        f(
            "fieldsType",
            STRING,
            "Format of fieldsV1. Only `FieldsV1` exists.",
        ),
        f(
            "fieldsV1",
            Ty::Ref(&FIELDS_V1),
            "The set of fields owned, in the FieldsV1 format.",
        ),
        f(
            "manager",
            STRING,
            "Name of the client that owns the fields.",
        ),
        f(
            "operation",
            STRING,
            "How the fields were set: `Apply` or `Update`.",
        ),
        f(
            "subresource",
            STRING,
            "Subresource used for the write, such as `status`. Empty for the main resource.",
        ),
        f(
            "time",
            Ty::Ref(&TIME),
            "When the fields were last changed by this manager.",
        ),
    ],
};

pub(super) static MICRO_TIME: Type = Type {
    name: "MicroTime",
    primitive: Some("string"),
    description: "A timestamp with microsecond precision, written as an RFC 3339 string.",
    fields: &[],
};

pub(super) static MODIFY_VOLUME_STATUS: Type = Type {
    name: "ModifyVolumeStatus",
    primitive: None,
    description: "State of a change of a claim's VolumeAttributesClass.",
    fields: &[
        f("status", STRING, "Progress of the change.\n - `InProgress`: being applied.\n - `Infeasible`: rejected by the driver as invalid; pick another class.\n - `Pending`: waiting, for example because the class does not exist yet.").required().enums(&["InProgress", "Infeasible", "Pending"]),
        f("targetVolumeAttributesClassName", STRING, "The class being applied."),
    ],
};

pub(super) static NFS_VOLUME_SOURCE: Type = Type {
    name: "NFSVolumeSource",
    primitive: None,
    description:
        "A directory exported by an NFS server. The node mounts it; ownership is not managed.",
    fields: &[
        f("path", STRING, "The exported path on the server.").required(),
        f(
            "readOnly",
            BOOLEAN,
            "Mount the export read-only when true. Defaults to false.",
        ),
        f(
            "server",
            STRING,
            "Address (DNS name or IP) of the NFS server.",
        )
        .required(),
    ],
};

pub(super) static NAMESPACE: Type = Type {
    name: "Namespace",
    primitive: None,
    description: "A named scope for objects. Names must be unique within a namespace, and policies and quotas apply per namespace.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&NAMESPACE_SPEC), "Behaviour of the namespace."),
        f("status", Ty::Ref(&NAMESPACE_STATUS), "Current state of the namespace."),
    ],
};

pub(super) static NAMESPACE_CONDITION: Type = Type {
    name: "NamespaceCondition",
    primitive: None,
    description: "One observation about a namespace.",
    fields: &[
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        ),
        f("message", STRING, "Human-readable details."),
        f(
            "reason",
            STRING,
            "CamelCase word explaining the last transition.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f(
            "type",
            STRING,
            "The condition, such as `NamespaceDeletionContentFailure`.",
        )
        .required(),
    ],
};

pub(super) static NAMESPACE_SPEC: Type = Type {
    name: "NamespaceSpec",
    primitive: None,
    description: "Settings of a namespace.",
    fields: &[f(
        "finalizers",
        Ty::Array(&STRING),
        "Cleanup steps that must finish before the namespace is removed from storage.",
    )],
};

pub(super) static NAMESPACE_STATUS: Type = Type {
    name: "NamespaceStatus",
    primitive: None,
    description: "Observed state of a namespace.",
    fields: &[
        f("conditions", Ty::Array(&Ty::Ref(&NAMESPACE_CONDITION)), "Latest observations about the namespace."),
        f("phase", STRING, "Lifecycle phase.\n - `Active`: in use.\n - `Terminating`: being deleted along with its contents.").enums(&["Active", "Terminating"]),
    ],
};

pub(super) static NODE: Type = Type {
    name: "Node",
    primitive: None,
    description: "A machine (virtual or physical) that runs pods. Each node runs a kubelet and a container runtime. Cluster-scoped.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&NODE_SPEC), "Settings of the node."),
        f("status", Ty::Ref(&NODE_STATUS), "Most recently observed state of the node."),
    ],
};

pub(super) static NODE_ADDRESS: Type = Type {
    name: "NodeAddress",
    primitive: None,
    description: "One address of a node.",
    fields: &[
        f("address", STRING, "The address.").required(),
        f(
            "type",
            STRING,
            "Kind of address: `Hostname`, `InternalIP`, `ExternalIP`, `InternalDNS` or `ExternalDNS`.",
        )
        .required(),
    ],
};

pub(super) static NODE_AFFINITY: Type = Type {
    name: "NodeAffinity",
    primitive: None,
    description: "Node selection rules based on node labels.",
    fields: &[
        f("preferredDuringSchedulingIgnoredDuringExecution", Ty::Array(&Ty::Ref(&PREFERRED_SCHEDULING_TERM)), "Soft rules: the scheduler favours nodes matching them, adding each matching term's weight to a node's score."),
        f("requiredDuringSchedulingIgnoredDuringExecution", Ty::Ref(&NODE_SELECTOR), "Hard rules: the pod is only scheduled on nodes that match. Nodes that stop matching later do not evict the pod."),
    ],
};

pub(super) static NODE_CONDITION: Type = Type {
    name: "NodeCondition",
    primitive: None,
    description: "One observation about a node.",
    fields: &[
        f(
            "lastHeartbeatTime",
            Ty::Ref(&TIME),
            "When the kubelet last reported the condition.",
        ),
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        ),
        f("message", STRING, "Human-readable details."),
        f(
            "reason",
            STRING,
            "CamelCase word explaining the last transition.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f(
            "type",
            STRING,
            "The condition, such as `Ready` or `DiskPressure`.",
        )
        .required(),
    ],
};

pub(super) static NODE_CONFIG_SOURCE: Type = Type {
    name: "NodeConfigSource",
    primitive: None,
    description: "Source of a node's dynamic kubelet configuration. No longer used.",
    fields: &[f(
        "configMap",
        Ty::Ref(&CONFIG_MAP_NODE_CONFIG_SOURCE),
        "ConfigMap holding the configuration.",
    )],
};

pub(super) static NODE_CONFIG_STATUS: Type = Type {
    name: "NodeConfigStatus",
    primitive: None,
    description: "Status of dynamic kubelet configuration. No longer used.",
    fields: &[
        f(
            "active",
            Ty::Ref(&NODE_CONFIG_SOURCE),
            "The configuration the node is running.",
        ),
        f(
            "assigned",
            Ty::Ref(&NODE_CONFIG_SOURCE),
            "The configuration the node was told to use.",
        ),
        f("error", STRING, "Problems with the configuration."),
        f(
            "lastKnownGood",
            Ty::Ref(&NODE_CONFIG_SOURCE),
            "The configuration the node falls back to.",
        ),
    ],
};

pub(super) static NODE_DAEMON_ENDPOINTS: Type = Type {
    name: "NodeDaemonEndpoints",
    primitive: None,
    description: "Ports of the daemons on a node.",
    fields: &[f(
        "kubeletEndpoint",
        Ty::Ref(&DAEMON_ENDPOINT),
        "Endpoint the kubelet listens on.",
    )],
};

pub(super) static NODE_FEATURES: Type = Type {
    name: "NodeFeatures",
    primitive: None,
    description: "Features a node supports.",
    fields: &[f(
        "supplementalGroupsPolicy",
        BOOLEAN,
        "Whether the node honours the pod's supplementalGroupsPolicy.",
    )],
};

pub(super) static NODE_RUNTIME_HANDLER: Type = Type {
    name: "NodeRuntimeHandler",
    primitive: None,
    description: "A runtime handler a node offers.",
    fields: &[
        f(
            "features",
            Ty::Ref(&NODE_RUNTIME_HANDLER_FEATURES),
            "What the handler supports.",
        ),
        f(
            "name",
            STRING,
            "Name of the handler. Empty for the default handler.",
        ),
    ],
};

pub(super) static NODE_RUNTIME_HANDLER_FEATURES: Type = Type {
    name: "NodeRuntimeHandlerFeatures",
    primitive: None,
    description: "Features a runtime handler supports.",
    fields: &[
        f(
            "recursiveReadOnlyMounts",
            BOOLEAN,
            "Whether recursive read-only mounts are supported.",
        ),
        f(
            "userNamespaces",
            BOOLEAN,
            "Whether user namespaces are supported for pods.",
        ),
    ],
};

pub(super) static NODE_SELECTOR: Type = Type {
    name: "NodeSelector",
    primitive: None,
    description: "A set of node selector terms; a node matches when any term matches.",
    fields: &[f(
        "nodeSelectorTerms",
        Ty::Array(&Ty::Ref(&NODE_SELECTOR_TERM)),
        "The terms, combined with OR.",
    )
    .required()],
};

pub(super) static NODE_SELECTOR_REQUIREMENT: Type = Type {
    name: "NodeSelectorRequirement",
    primitive: None,
    description: "One condition on a node label or field.",
    fields: &[
        f("key", STRING, "The label key or field the condition is about.").required(),
        f("operator", STRING, "How the value is compared.\n - `DoesNotExist`: the key is absent.\n - `Exists`: the key is present.\n - `Gt`: the value, as an integer, is greater than the single value given.\n - `In`: the value is one of values.\n - `Lt`: the value, as an integer, is less than the single value given.\n - `NotIn`: the value is none of values.").required().enums(&["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"]),
        f("values", Ty::Array(&STRING), "Values to compare against. Must be empty for `Exists` and `DoesNotExist`, and hold one integer for `Gt` and `Lt`."),
    ],
};

pub(super) static NODE_SELECTOR_TERM: Type = Type {
    name: "NodeSelectorTerm",
    primitive: None,
    description: "Conditions on a node that must all hold (AND). An empty term matches nothing.",
    fields: &[
        f(
            "matchExpressions",
            Ty::Array(&Ty::Ref(&NODE_SELECTOR_REQUIREMENT)),
            "Conditions on the node's labels.",
        ),
        f(
            "matchFields",
            Ty::Array(&Ty::Ref(&NODE_SELECTOR_REQUIREMENT)),
            "Conditions on the node's fields, such as metadata.name.",
        ),
    ],
};

pub(super) static NODE_SPEC: Type = Type {
    name: "NodeSpec",
    primitive: None,
    description: "Settings of a node.",
    fields: &[
        f("configSource", Ty::Ref(&NODE_CONFIG_SOURCE), "Dynamic kubelet configuration source. No longer used."),
        f("externalID", STRING, "Deprecated and not used."),
        f("podCIDR", STRING, "IP range given to pods on this node."),
        f("podCIDRs", Ty::Array(&STRING), "IP ranges given to pods on this node, at most one per IP family. The first equals podCIDR."),
        f("providerID", STRING, "ID of the node given by the cloud provider."),
        f("taints", Ty::Array(&Ty::Ref(&TAINT)), "Taints that repel pods that do not tolerate them."),
        f("unschedulable", BOOLEAN, "When true, no new pods are scheduled onto the node (cordoned)."),
    ],
};

pub(super) static NODE_STATUS: Type = Type {
    name: "NodeStatus",
    primitive: None,
    description: "Observed state of a node.",
    fields: &[
        f("addresses", Ty::Array(&Ty::Ref(&NODE_ADDRESS)), "Addresses the node can be reached at."),
        f("allocatable", Ty::Map(&Ty::Ref(&QUANTITY)), "Resources available to pods: capacity minus what the system reserves."),
        f("capacity", Ty::Map(&Ty::Ref(&QUANTITY)), "Total resources of the node."),
        f("conditions", Ty::Array(&Ty::Ref(&NODE_CONDITION)), "Current conditions, such as `Ready`, `MemoryPressure` and `DiskPressure`."),
        f("config", Ty::Ref(&NODE_CONFIG_STATUS), "Status of dynamic kubelet configuration. No longer used."),
        f("daemonEndpoints", Ty::Ref(&NODE_DAEMON_ENDPOINTS), "Ports of the daemons running on the node."),
        f("declaredFeatures", Ty::Array(&STRING), "Features the node says it supports."),
        f("features", Ty::Ref(&NODE_FEATURES), "Features the node's runtime supports."),
        f("images", Ty::Array(&Ty::Ref(&CONTAINER_IMAGE)), "Container images present on the node."),
        f("nodeInfo", Ty::Ref(&NODE_SYSTEM_INFO), "Identifying information about the node and its software."),
        f("phase", STRING, "Lifecycle phase of the node. Deprecated and not set.\n - `Pending`: created but not configured.\n - `Running`: configured and running.\n - `Terminated`: removed from the cluster.").enums(&["Pending", "Running", "Terminated"]),
        f("runtimeHandlers", Ty::Array(&Ty::Ref(&NODE_RUNTIME_HANDLER)), "Runtime handlers the node's container runtime offers."),
        f("volumesAttached", Ty::Array(&Ty::Ref(&ATTACHED_VOLUME)), "Volumes attached to the node."),
        f("volumesInUse", Ty::Array(&STRING), "Volumes the node has in use (mounted)."),
    ],
};

pub(super) static NODE_SWAP_STATUS: Type = Type {
    name: "NodeSwapStatus",
    primitive: None,
    description: "Swap memory of a node.",
    fields: &[f("capacity", INTEGER, "Total swap memory in bytes.")],
};

pub(super) static NODE_SYSTEM_INFO: Type = Type {
    name: "NodeSystemInfo",
    primitive: None,
    description: "Identifying information about a node's machine and software.",
    fields: &[
        f(
            "architecture",
            STRING,
            "CPU architecture reported by the node, such as `amd64`.",
        )
        .required(),
        f(
            "bootID",
            STRING,
            "ID that changes each time the node boots.",
        )
        .required(),
        f(
            "containerRuntimeVersion",
            STRING,
            "Container runtime name and version, such as containerd://1.7.",
        )
        .required(),
        f("kernelVersion", STRING, "Kernel version, from uname -r.").required(),
        f(
            "kubeProxyVersion",
            STRING,
            "Deprecated; may not be accurate.",
        )
        .required(),
        f("kubeletVersion", STRING, "Version of the kubelet.").required(),
        f("machineID", STRING, "Machine ID from /etc/machine-id.").required(),
        f(
            "operatingSystem",
            STRING,
            "Operating system, such as `linux`.",
        )
        .required(),
        f(
            "osImage",
            STRING,
            "Operating system image, from /etc/os-release.",
        )
        .required(),
        f(
            "swap",
            Ty::Ref(&NODE_SWAP_STATUS),
            "Swap memory information.",
        ),
        f(
            "systemUUID",
            STRING,
            "System UUID reported by the firmware.",
        )
        .required(),
    ],
};

pub(super) static OBJECT_FIELD_SELECTOR: Type = Type {
    name: "ObjectFieldSelector",
    primitive: None,
    description: "Picks one field of an object, named by its path.",
    fields: &[
        f(
            "apiVersion",
            STRING,
            "API version the fieldPath is written in. Defaults to `v1`.",
        ),
        f(
            "fieldPath",
            STRING,
            "Path of the field to read, such as metadata.name.",
        )
        .required(),
    ],
};

pub(super) static OBJECT_META: Type = Type {
    name: "ObjectMeta",
    primitive: None,
    description: "Metadata every persisted object has: its name and namespace, labels and annotations, and fields the server maintains.",
    fields: &[
        f("annotations", Ty::Map(&STRING), "Free-form key-value data attached to the object for tools and people. Not used for selection."),
        f("creationTimestamp", Ty::Ref(&TIME), "When the object was created, set by the server. Read-only."),
        f("deletionGracePeriodSeconds", INTEGER, "Seconds the object is given to go away gracefully once deletion starts. Set by the server. Read-only."),
        f("deletionTimestamp", Ty::Ref(&TIME), "Set by the server when deletion is requested; the object is removed once its finalizers are done. Read-only."),
        f("finalizers", Ty::Array(&STRING), "Keys that must all be removed before the object is deleted. Each names a controller that has cleanup work to do."),
        f("generateName", STRING, "Prefix used to generate a unique name when name is empty. The server adds a random suffix."),
        f("generation", INTEGER, "Counter the server increments whenever the desired state (spec) changes. Read-only."),
        f("labels", Ty::Map(&STRING), "Key-value tags used to organise and select objects, for example by controllers and Services."),
        f("managedFields", Ty::Array(&Ty::Ref(&MANAGED_FIELDS_ENTRY)), "Which field manager owns which fields, used by server-side apply. Internal bookkeeping; normally not edited."),
        f("name", STRING, "Name of the object, unique within its namespace and kind. Usually set by the client; cannot be changed."),
        f("namespace", STRING, "Namespace the object lives in. Empty means `default` for namespaced kinds; cluster-scoped kinds have none. Cannot be changed."),
        f("ownerReferences", Ty::Array(&Ty::Ref(&OWNER_REFERENCE)), "Objects this one depends on. When all owners are deleted, the object is garbage collected. At most one owner can be the managing controller."),
        f("resourceVersion", STRING, "Opaque version string that changes on every write. Used for optimistic concurrency and watches; clients must not interpret it. Read-only."),
        f("selfLink", STRING, "Deprecated and no longer set."),
        f("uid", STRING, "Unique ID the server assigns to this object, never reused. Read-only."),
    ],
};

pub(super) static OBJECT_REFERENCE: Type = Type {
    name: "ObjectReference",
    primitive: None,
    description: "Points to an object and, optionally, a field within it.",
    fields: &[
        f("apiVersion", STRING, "API version of the object."),
        f(
            "fieldPath",
            STRING,
            "A part of the object rather than the whole, such as spec.containers{web}.",
        ),
        f("kind", STRING, "Kind of the object."),
        f("name", STRING, "Name of the object."),
        f("namespace", STRING, "Namespace of the object."),
        f(
            "resourceVersion",
            STRING,
            "Version of the object the reference is about.",
        ),
        f("uid", STRING, "UID of the object."),
    ],
};

pub(super) static OWNER_REFERENCE: Type = Type {
    name: "OwnerReference",
    primitive: None,
    description: "Identifies an owner of an object. The owner must be in the same namespace, or cluster-scoped.",
    fields: &[
        f("apiVersion", STRING, "API version of the owner.").required(),
        f("blockOwnerDeletion", BOOLEAN, "When true and the owner is deleted with foreground deletion, the owner waits until this object is gone. Defaults to false."),
        f("controller", BOOLEAN, "When true, this owner is the controller that manages the object. Only one owner may be the controller."),
        f("kind", STRING, "Kind of the owner.").required(),
        f("name", STRING, "Name of the owner.").required(),
        f("uid", STRING, "UID of the owner.").required(),
    ],
};

pub(super) static PERSISTENT_VOLUME: Type = Type {
    name: "PersistentVolume",
    primitive: None,
    description: "A piece of storage in the cluster, provisioned by an administrator or dynamically through a StorageClass. Cluster-scoped; claims bind to it.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&PERSISTENT_VOLUME_SPEC), "The storage, its capacity and how it may be used."),
        f("status", Ty::Ref(&PERSISTENT_VOLUME_STATUS), "Current state of the volume, such as whether it is bound."),
    ],
};

pub(super) static PERSISTENT_VOLUME_CLAIM: Type = Type {
    name: "PersistentVolumeClaim",
    primitive: None,
    description: "A request for storage by a user. It is bound to a PersistentVolume that satisfies it, and pods mount the claim as a volume.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&PERSISTENT_VOLUME_CLAIM_SPEC), "What storage is being requested."),
        f("status", Ty::Ref(&PERSISTENT_VOLUME_CLAIM_STATUS), "Current state of the claim, such as whether it is bound."),
    ],
};

pub(super) static PERSISTENT_VOLUME_CLAIM_CONDITION: Type = Type {
    name: "PersistentVolumeClaimCondition",
    primitive: None,
    description: "One observation about a PersistentVolumeClaim.",
    fields: &[
        f(
            "lastProbeTime",
            Ty::Ref(&TIME),
            "When the condition was last checked.",
        ),
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        ),
        f(
            "message",
            STRING,
            "Human-readable details about the last transition.",
        ),
        f(
            "reason",
            STRING,
            "Short CamelCase word for the last transition, such as `Resizing`.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f(
            "type",
            STRING,
            "The condition reported, such as `Resizing` or `FileSystemResizePending`.",
        )
        .required(),
    ],
};

pub(super) static PERSISTENT_VOLUME_CLAIM_SPEC: Type = Type {
    name: "PersistentVolumeClaimSpec",
    primitive: None,
    description: "What a PersistentVolumeClaim asks for: size, access modes and storage class.",
    fields: &[
        f("accessModes", Ty::Array(&STRING), "How the volume may be mounted, such as `ReadWriteOnce` (one node), `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod` (one pod)."),
        f("dataSource", Ty::Ref(&TYPED_LOCAL_OBJECT_REFERENCE), "An existing object to pre-fill the new volume from: a VolumeSnapshot or another PersistentVolumeClaim, or a populator object. Copied to dataSourceRef when that is empty."),
        f("dataSourceRef", Ty::Ref(&TYPED_OBJECT_REFERENCE), "Object to populate the volume from, which may be a custom populator resource or live in another namespace (with a ReferenceGrant). Replaces dataSource."),
        f("resources", Ty::Ref(&VOLUME_RESOURCE_REQUIREMENTS), "Minimum storage the volume must have. Can be increased later if the storage class allows expansion."),
        f("selector", Ty::Ref(&LABEL_SELECTOR), "Label query that restricts which existing PersistentVolumes may be bound."),
        f("storageClassName", STRING, "Name of the StorageClass to provision from. Unset means the default class; an empty string means no class (only static volumes without a class)."),
        f("volumeAttributesClassName", STRING, "Name of a VolumeAttributesClass that sets mutable volume settings such as IOPS."),
        f("volumeMode", STRING, "Whether the volume is used through a filesystem or as a raw block device. Defaults to `Filesystem`.\n - `Block`: a raw block device.\n - `Filesystem`: a mounted filesystem.").enums(&["Block", "Filesystem"]),
        f("volumeName", STRING, "Name of a specific PersistentVolume to bind to."),
    ],
};

pub(super) static PERSISTENT_VOLUME_CLAIM_STATUS: Type = Type {
    name: "PersistentVolumeClaimStatus",
    primitive: None,
    description: "Observed state of a PersistentVolumeClaim.",
    fields: &[
        f("accessModes", Ty::Array(&STRING), "Access modes the bound volume actually offers."),
        f("allocatedResourceStatuses", Ty::Map(&STRING), "Progress of resize operations, per resource. Values such as `ControllerResizeInProgress` or `NodeResizePending`."),
        f("allocatedResources", Ty::Map(&Ty::Ref(&QUANTITY)), "Resources the system has allocated for the claim, which can be larger than requested while a resize is in progress."),
        f("capacity", Ty::Map(&Ty::Ref(&QUANTITY)), "Actual capacity of the bound volume."),
        f("conditions", Ty::Array(&Ty::Ref(&PERSISTENT_VOLUME_CLAIM_CONDITION)), "Current conditions of the claim, such as an ongoing resize."),
        f("currentVolumeAttributesClassName", STRING, "The VolumeAttributesClass currently applied to the volume."),
        f("modifyVolumeStatus", Ty::Ref(&MODIFY_VOLUME_STATUS), "State of an ongoing change of volume attributes class, if any."),
        f("phase", STRING, "Where the claim is in its lifecycle.\n - `Bound`: bound to a volume.\n - `Lost`: its bound volume no longer exists, and the data is gone.\n - `Pending`: not bound yet.").enums(&["Bound", "Lost", "Pending"]),
    ],
};

pub(super) static PERSISTENT_VOLUME_CLAIM_TEMPLATE: Type = Type {
    name: "PersistentVolumeClaimTemplate",
    primitive: None,
    description: "Template for the claim created with an ephemeral volume.",
    fields: &[
        f(
            "metadata",
            Ty::Ref(&OBJECT_META),
            "Labels and annotations copied to the created claim. Other fields are not allowed.",
        ),
        f(
            "spec",
            Ty::Ref(&PERSISTENT_VOLUME_CLAIM_SPEC),
            "The claim spec copied unchanged into the created claim.",
        )
        .required(),
    ],
};

pub(super) static PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE: Type = Type {
    name: "PersistentVolumeClaimVolumeSource",
    primitive: None,
    description: "Uses a PersistentVolumeClaim from the pod's namespace as a pod volume.",
    fields: &[
        f("claimName", STRING, "Name of the claim.").required(),
        f(
            "readOnly",
            BOOLEAN,
            "Mount the volume read-only when true. Defaults to false.",
        ),
    ],
};

pub(super) static PERSISTENT_VOLUME_SPEC: Type = Type {
    name: "PersistentVolumeSpec",
    primitive: None,
    description: "Description of a PersistentVolume. Exactly one storage source field is set.",
    fields: &[
        f("accessModes", Ty::Array(&STRING), "How the volume can be mounted: `ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany` or `ReadWriteOncePod`."),
        f("awsElasticBlockStore", Ty::Ref(&AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE), "An AWS EBS disk. Deprecated; use the CSI driver."),
        f("azureDisk", Ty::Ref(&AZURE_DISK_VOLUME_SOURCE), "An Azure data disk. Deprecated; use the CSI driver."),
        f("azureFile", Ty::Ref(&AZURE_FILE_PERSISTENT_VOLUME_SOURCE), "An Azure File share. Deprecated; use the CSI driver."),
        f("capacity", Ty::Map(&Ty::Ref(&QUANTITY)), "Size and other resources of the volume, such as `storage: 10Gi`."),
        f("cephfs", Ty::Ref(&CEPH_FS_PERSISTENT_VOLUME_SOURCE), "A CephFS mount. Deprecated."),
        f("cinder", Ty::Ref(&CINDER_PERSISTENT_VOLUME_SOURCE), "An OpenStack Cinder volume. Deprecated; use the CSI driver."),
        f("claimRef", Ty::Ref(&OBJECT_REFERENCE), "The claim this volume is bound to. Set it to reserve the volume for a specific claim."),
        f("csi", Ty::Ref(&CSI_PERSISTENT_VOLUME_SOURCE), "A volume managed by an external CSI driver."),
        f("fc", Ty::Ref(&FC_VOLUME_SOURCE), "A Fibre Channel disk."),
        f("flexVolume", Ty::Ref(&FLEX_PERSISTENT_VOLUME_SOURCE), "A volume from a FlexVolume driver. Deprecated."),
        f("flocker", Ty::Ref(&FLOCKER_VOLUME_SOURCE), "A Flocker dataset. Deprecated."),
        f("gcePersistentDisk", Ty::Ref(&GCE_PERSISTENT_DISK_VOLUME_SOURCE), "A Google Compute Engine persistent disk. Deprecated; use the CSI driver."),
        f("glusterfs", Ty::Ref(&GLUSTERFS_PERSISTENT_VOLUME_SOURCE), "A GlusterFS mount. Deprecated."),
        f("hostPath", Ty::Ref(&HOST_PATH_VOLUME_SOURCE), "A directory on one node's filesystem. For single-node testing only."),
        f("iscsi", Ty::Ref(&ISCSI_PERSISTENT_VOLUME_SOURCE), "An iSCSI disk."),
        f("local", Ty::Ref(&LOCAL_VOLUME_SOURCE), "A disk, partition or directory on one specific node; use with nodeAffinity."),
        f("mountOptions", Ty::Array(&STRING), "Mount options to use, such as `ro` or `soft`. Not validated; a wrong option makes the mount fail."),
        f("nfs", Ty::Ref(&NFS_VOLUME_SOURCE), "An NFS export."),
        f("nodeAffinity", Ty::Ref(&VOLUME_NODE_AFFINITY), "Nodes the volume can be reached from. Pods using it are scheduled there."),
        f("persistentVolumeReclaimPolicy", STRING, "What to do with the volume when its claim is deleted. Defaults to `Retain` for manually created volumes and to the class's policy for provisioned ones.\n - `Delete`: delete the volume and its backing storage.\n - `Recycle`: scrub the data and make it available again. Deprecated.\n - `Retain`: keep it for manual cleanup.").enums(&["Delete", "Recycle", "Retain"]),
        f("photonPersistentDisk", Ty::Ref(&PHOTON_PERSISTENT_DISK_VOLUME_SOURCE), "A VMware Photon disk. Deprecated."),
        f("portworxVolume", Ty::Ref(&PORTWORX_VOLUME_SOURCE), "A Portworx volume. Deprecated."),
        f("quobyte", Ty::Ref(&QUOBYTE_VOLUME_SOURCE), "A Quobyte mount. Deprecated."),
        f("rbd", Ty::Ref(&RBD_PERSISTENT_VOLUME_SOURCE), "A Ceph RBD block device. Deprecated."),
        f("scaleIO", Ty::Ref(&SCALE_IO_PERSISTENT_VOLUME_SOURCE), "A ScaleIO volume. Deprecated."),
        f("storageClassName", STRING, "Name of the StorageClass the volume belongs to. Only claims asking for this class can bind it; empty means no class."),
        f("storageos", Ty::Ref(&STORAGE_OS_PERSISTENT_VOLUME_SOURCE), "A StorageOS volume. Deprecated."),
        f("volumeAttributesClassName", STRING, "Name of the VolumeAttributesClass applied to the volume."),
        f("volumeMode", STRING, "Whether the volume is used through a filesystem or as a raw block device. Defaults to `Filesystem`.\n - `Block`: a raw block device.\n - `Filesystem`: a mounted filesystem.").enums(&["Block", "Filesystem"]),
        f("vsphereVolume", Ty::Ref(&VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE), "A vSphere disk. Deprecated; use the CSI driver."),
    ],
};

pub(super) static PERSISTENT_VOLUME_STATUS: Type = Type {
    name: "PersistentVolumeStatus",
    primitive: None,
    description: "Observed state of a PersistentVolume.",
    fields: &[
        f("lastPhaseTransitionTime", Ty::Ref(&TIME), "When phase last changed."),
        f("message", STRING, "Human-readable explanation of the current phase."),
        f("phase", STRING, "Where the volume is in its lifecycle.\n - `Available`: free, not yet bound.\n - `Bound`: bound to a claim.\n - `Failed`: automatic reclamation failed.\n - `Pending`: not yet ready.\n - `Released`: its claim was deleted, but it has not been reclaimed yet.").enums(&["Available", "Bound", "Failed", "Pending", "Released"]),
        f("reason", STRING, "Short CamelCase word explaining a failure."),
    ],
};

pub(super) static PHOTON_PERSISTENT_DISK_VOLUME_SOURCE: Type = Type {
    name: "PhotonPersistentDiskVolumeSource",
    primitive: None,
    description: "A VMware Photon Controller persistent disk.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("pdID", STRING, "ID of the disk.").required(),
    ],
};

pub(super) static POD: Type = Type {
    name: "Pod",
    primitive: None,
    description: "The smallest deployable unit: one or more containers that share a network identity and storage, scheduled together onto one node.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&POD_SPEC), "The desired pod: containers, volumes and settings."),
        f("status", Ty::Ref(&POD_STATUS), "The most recently observed state of the pod. It can lag behind."),
    ],
};

pub(super) static POD_AFFINITY: Type = Type {
    name: "PodAffinity",
    primitive: None,
    description: "Rules to place a pod in the same topology domain as other pods.",
    fields: &[
        f("preferredDuringSchedulingIgnoredDuringExecution", Ty::Array(&Ty::Ref(&WEIGHTED_POD_AFFINITY_TERM)), "Soft rules: nodes whose domain holds matching pods score higher by each term's weight."),
        f("requiredDuringSchedulingIgnoredDuringExecution", Ty::Array(&Ty::Ref(&POD_AFFINITY_TERM)), "Hard rules: the pod only goes where every term's pods are present. Not re-checked after scheduling."),
    ],
};

pub(super) static POD_AFFINITY_TERM: Type = Type {
    name: "PodAffinityTerm",
    primitive: None,
    description: "Selects a group of pods and the topology domain (node, zone and so on) that affinity is measured in.",
    fields: &[
        f("labelSelector", Ty::Ref(&LABEL_SELECTOR), "Label query for the pods to be near (or away from). Unset matches no pods."),
        f("matchLabelKeys", Ty::Array(&STRING), "Label keys whose values are copied from the incoming pod into the selector, so that, for example, only pods of the same revision are considered."),
        f("mismatchLabelKeys", Ty::Array(&STRING), "Label keys whose values must differ from the incoming pod's, added to the selector as NotIn conditions."),
        f("namespaceSelector", Ty::Ref(&LABEL_SELECTOR), "Label query for the namespaces to search. Combined with namespaces; an empty selector means all namespaces."),
        f("namespaces", Ty::Array(&STRING), "Namespaces to search. When both this and namespaceSelector are empty, the pod's own namespace is used."),
        f("topologyKey", STRING, "Node label that defines the domain, such as kubernetes.io/hostname or topology.kubernetes.io/zone. Must not be empty.").required(),
    ],
};

pub(super) static POD_ANTI_AFFINITY: Type = Type {
    name: "PodAntiAffinity",
    primitive: None,
    description: "Rules to keep a pod out of topology domains that hold certain other pods.",
    fields: &[
        f("preferredDuringSchedulingIgnoredDuringExecution", Ty::Array(&Ty::Ref(&WEIGHTED_POD_AFFINITY_TERM)), "Soft rules: nodes whose domain holds matching pods score lower by each term's weight."),
        f("requiredDuringSchedulingIgnoredDuringExecution", Ty::Array(&Ty::Ref(&POD_AFFINITY_TERM)), "Hard rules: the pod never goes where any term's pods are present. Not re-checked after scheduling."),
    ],
};

pub(super) static POD_CERTIFICATE_PROJECTION: Type = Type {
    name: "PodCertificateProjection",
    primitive: None,
    description: "A private key and certificate chain issued for the pod through a PodCertificateRequest, written into a projected volume and renewed automatically.",
    fields: &[
        f("certificateChainPath", STRING, "Where to write just the certificate chain."),
        f("credentialBundlePath", STRING, "Where to write the key and certificate chain together in one PEM file."),
        f("keyPath", STRING, "Where to write just the private key."),
        f("keyType", STRING, "Kind of key to generate, such as `RSA3072`, `ECDSAP256` or `ED25519`.").required(),
        f("maxExpirationSeconds", INTEGER, "Longest lifetime to request for the certificate. The signer may pick a shorter one."),
        f("signerName", STRING, "The signer that should issue the certificate.").required(),
        f("userAnnotations", Ty::Map(&STRING), "Extra key-value data passed along in the certificate request for the signer to use."),
    ],
};

pub(super) static POD_CONDITION: Type = Type {
    name: "PodCondition",
    primitive: None,
    description: "One observation about a pod.",
    fields: &[
        f(
            "lastProbeTime",
            Ty::Ref(&TIME),
            "When the condition was last checked.",
        ),
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        ),
        f("message", STRING, "Human-readable details."),
        f(
            "observedGeneration",
            INTEGER,
            "The metadata.generation the condition was set for.",
        ),
        f(
            "reason",
            STRING,
            "CamelCase word explaining the last transition.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f(
            "type",
            STRING,
            "The condition, such as `Ready` or `PodScheduled`.",
        )
        .required(),
    ],
};

pub(super) static POD_DNS_CONFIG: Type = Type {
    name: "PodDNSConfig",
    primitive: None,
    description: "Extra DNS resolver settings for a pod.",
    fields: &[
        f(
            "nameservers",
            Ty::Array(&STRING),
            "DNS server IPs, added to those from dnsPolicy. Duplicates are dropped.",
        ),
        f(
            "options",
            Ty::Array(&Ty::Ref(&POD_DNS_CONFIG_OPTION)),
            "Resolver options, merged with those from dnsPolicy.",
        ),
        f(
            "searches",
            Ty::Array(&STRING),
            "Search domains for short names, added to those from dnsPolicy.",
        ),
    ],
};

pub(super) static POD_DNS_CONFIG_OPTION: Type = Type {
    name: "PodDNSConfigOption",
    primitive: None,
    description: "One resolver option.",
    fields: &[
        f(
            "name",
            STRING,
            "Name of the option, such as ndots. Required.",
        ),
        f("value", STRING, "Value of the option, if it has one."),
    ],
};

pub(super) static POD_EXTENDED_RESOURCE_CLAIM_STATUS: Type = Type {
    name: "PodExtendedResourceClaimStatus",
    primitive: None,
    description: "The ResourceClaim created for a pod's extended resource requests.",
    fields: &[
        f(
            "requestMappings",
            Ty::Array(&Ty::Ref(&CONTAINER_EXTENDED_RESOURCE_REQUEST)),
            "Which container resource maps to which request in the claim.",
        )
        .required(),
        f("resourceClaimName", STRING, "Name of the claim.").required(),
    ],
};

pub(super) static POD_IP: Type = Type {
    name: "PodIP",
    primitive: None,
    description: "One IP address of a pod.",
    fields: &[f("ip", STRING, "The address.").required()],
};

pub(super) static POD_OS: Type = Type {
    name: "PodOS",
    primitive: None,
    description: "The operating system of a pod.",
    fields: &[f("name", STRING, "`linux` or `windows`.").required()],
};

pub(super) static POD_READINESS_GATE: Type = Type {
    name: "PodReadinessGate",
    primitive: None,
    description: "An extra condition the pod needs to be ready.",
    fields: &[f(
        "conditionType",
        STRING,
        "Type of a pod condition that must be true.",
    )
    .required()],
};

pub(super) static POD_RESOURCE_CLAIM: Type = Type {
    name: "PodResourceClaim",
    primitive: None,
    description: "A named reference to a ResourceClaim a pod uses. Set one of resourceClaimName or resourceClaimTemplateName.",
    fields: &[
        f("name", STRING, "Name containers use to refer to this claim. Unique in the pod.").required(),
        f("resourceClaimName", STRING, "Name of an existing ResourceClaim in the namespace."),
        f("resourceClaimTemplateName", STRING, "Name of a ResourceClaimTemplate from which a claim is created for this pod and deleted with it."),
    ],
};

pub(super) static POD_RESOURCE_CLAIM_STATUS: Type = Type {
    name: "PodResourceClaimStatus",
    primitive: None,
    description: "The ResourceClaim generated for one of a pod's claim entries.",
    fields: &[
        f(
            "name",
            STRING,
            "Name of the entry in the pod's resourceClaims.",
        )
        .required(),
        f(
            "resourceClaimName",
            STRING,
            "Name of the generated claim. Unset when none was needed.",
        ),
    ],
};

pub(super) static POD_SCHEDULING_GATE: Type = Type {
    name: "PodSchedulingGate",
    primitive: None,
    description: "A gate that holds a pod back from scheduling.",
    fields: &[f(
        "name",
        STRING,
        "Name of the gate. Must be unique among the pod's gates.",
    )
    .required()],
};

pub(super) static POD_SECURITY_CONTEXT: Type = Type {
    name: "PodSecurityContext",
    primitive: None,
    description: "Security settings for the whole pod. Container-level settings take precedence where both exist.",
    fields: &[
        f("appArmorProfile", Ty::Ref(&APP_ARMOR_PROFILE), "AppArmor profile for the pod's containers."),
        f("fsGroup", INTEGER, "Group ID given to volumes the pod mounts: files are owned by this group, new files inherit it, and it is added to the containers' groups. Linux only."),
        f("fsGroupChangePolicy", STRING, "How ownership of a volume is changed to fsGroup. Linux only.\n - `Always`: always change it on mount.\n - `OnRootMismatch`: only when the volume root does not already match, which is faster for big volumes.").enums(&["Always", "OnRootMismatch"]),
        f("runAsGroup", INTEGER, "Group ID the container processes run as. Defaults to the runtime's default. Linux only."),
        f("runAsNonRoot", BOOLEAN, "When true, the kubelet refuses to start a container that would run as user 0 (root)."),
        f("runAsUser", INTEGER, "User ID the container processes run as. Defaults to the image's user. Linux only."),
        f("seLinuxChangePolicy", STRING, "How SELinux labels are applied to volumes: `MountOption` (fast, at mount time) or `Recursive` (relabel every file). Linux only."),
        f("seLinuxOptions", Ty::Ref(&SE_LINUX_OPTIONS), "SELinux context for all containers. Linux only."),
        f("seccompProfile", Ty::Ref(&SECCOMP_PROFILE), "Seccomp profile for the pod's containers. Linux only."),
        f("supplementalGroups", Ty::Array(&INTEGER), "Extra group IDs for the first process of each container. Linux only."),
        f("supplementalGroupsPolicy", STRING, "How supplementary groups of the first process are computed. Defaults to `Merge`. Linux only.\n - `Merge`: combine the groups from the image's /etc/group with those set here.\n - `Strict`: use only fsGroup, supplementalGroups and runAsGroup.").enums(&["Merge", "Strict"]),
        f("sysctls", Ty::Array(&Ty::Ref(&SYSCTL)), "Namespaced kernel parameters to set for the pod. Linux only."),
        f("windowsOptions", Ty::Ref(&WINDOWS_SECURITY_CONTEXT_OPTIONS), "Windows-specific settings for all containers."),
    ],
};

pub(super) static POD_SPEC: Type = Type {
    name: "PodSpec",
    primitive: None,
    description: "The desired state of a pod: its containers, volumes, scheduling constraints and runtime settings.",
    fields: &[
        f("activeDeadlineSeconds", INTEGER, "How long, in seconds after it starts, the pod may be active before the system stops its containers and marks it failed. Must be a positive number."),
        f("affinity", Ty::Ref(&AFFINITY), "Rules that attract the pod to, or keep it away from, certain nodes and other pods."),
        f("automountServiceAccountToken", BOOLEAN, "Whether a service account token is mounted into the pod automatically. Overrides the same setting on the service account."),
        f("containers", Ty::Array(&Ty::Ref(&CONTAINER)), "The main containers of the pod. At least one is required. Containers cannot be added or removed after creation.").required(),
        f("dnsConfig", Ty::Ref(&POD_DNS_CONFIG), "Extra DNS settings merged into the resolver configuration that dnsPolicy produces."),
        f("dnsPolicy", STRING, "How DNS is set up for the pod. Defaults to `ClusterFirst`.\n - `ClusterFirst`: use the cluster DNS first, falling back to the node's resolvers.\n - `ClusterFirstWithHostNet`: same, for pods running with hostNetwork.\n - `Default`: use the node's own DNS settings.\n - `None`: use only what dnsConfig provides.").enums(&["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
        f("enableServiceLinks", BOOLEAN, "Whether environment variables describing the Services in the namespace are injected into containers, in the style of Docker links. Defaults to true."),
        f("ephemeralContainers", Ty::Array(&Ty::Ref(&EPHEMERAL_CONTAINER)), "Temporary containers added to a running pod, usually for debugging. They are added through the ephemeralcontainers subresource and cannot be set at creation or removed."),
        f("hostAliases", Ty::Array(&Ty::Ref(&HOST_ALIAS)), "Extra entries to add to the pod's /etc/hosts file."),
        f("hostIPC", BOOLEAN, "Use the node's IPC namespace. Defaults to false."),
        f("hostNetwork", BOOLEAN, "Use the node's network namespace, so the pod sees and binds the node's interfaces and ports. Defaults to false."),
        f("hostPID", BOOLEAN, "Use the node's process ID namespace, so the pod can see the node's processes. Defaults to false."),
        f("hostUsers", BOOLEAN, "Whether the pod uses the node's user namespace. Setting it to false gives the pod its own user namespace, isolating its users from the node's. Defaults to true."),
        f("hostname", STRING, "The pod's hostname. Defaults to a value chosen by the system (normally the pod name)."),
        f("hostnameOverride", STRING, "Sets the hostname reported inside the pod directly, taking precedence over hostname and subdomain. Must be a valid DNS subdomain."),
        f("imagePullSecrets", Ty::Array(&Ty::Ref(&LOCAL_OBJECT_REFERENCE)), "Secrets in the same namespace holding registry credentials used to pull the container images."),
        f("initContainers", Ty::Array(&Ty::Ref(&CONTAINER)), "Containers that run one after another, each to completion, before the main containers start. If one fails, the pod's restartPolicy decides what happens. Init containers with restartPolicy `Always` keep running as sidecars."),
        f("nodeName", STRING, "Runs the pod on this node directly. Normally left empty so the scheduler fills it in; setting it bypasses the scheduler."),
        f("nodeSelector", Ty::Map(&STRING), "Labels a node must have for the pod to be scheduled on it."),
        f("os", Ty::Ref(&POD_OS), "The operating system the pod's containers need. It also controls which OS-specific fields are validated."),
        f("overhead", Ty::Map(&Ty::Ref(&QUANTITY)), "Extra resources the pod's sandbox uses on top of its containers, set from the RuntimeClass at admission. Counted when scheduling and for quota."),
        f("preemptionPolicy", STRING, "Whether this pod may evict lower-priority pods to make room. Defaults to `PreemptLowerPriority`.\n - `Never`: never preempt other pods; wait for room instead.\n - `PreemptLowerPriority`: may evict pods with lower priority.").enums(&["Never", "PreemptLowerPriority"]),
        f("priority", INTEGER, "The pod's priority as a number; higher is more important. Filled in from priorityClassName at admission."),
        f("priorityClassName", STRING, "Name of the PriorityClass that sets this pod's priority. Two classes come built in (`system-node-critical`, `system-cluster-critical`); without a class the default priority (usually 0) applies."),
        f("readinessGates", Ty::Array(&Ty::Ref(&POD_READINESS_GATE)), "Extra conditions that must all be true, in addition to container readiness, before the pod counts as ready."),
        f("resourceClaims", Ty::Array(&Ty::Ref(&POD_RESOURCE_CLAIM)), "Dynamically allocated resources (DRA ResourceClaims) the pod needs, each under a name containers can refer to."),
        f("resources", Ty::Ref(&RESOURCE_REQUIREMENTS), "Resource requests and limits for the whole pod, shared by its containers. Only cpu, memory and hugepages can be set here."),
        f("restartPolicy", STRING, "When containers in the pod are restarted after they exit. Defaults to `Always`; some workloads allow only a subset.\n - `Always`: restart whenever a container exits.\n - `Never`: never restart.\n - `OnFailure`: restart only when a container exits with a non-zero code.").enums(&["Always", "Never", "OnFailure"]),
        f("runtimeClassName", STRING, "Name of the RuntimeClass that selects the container runtime configuration used to run the pod."),
        f("schedulerName", STRING, "Which scheduler places the pod. Defaults to the default scheduler."),
        f("schedulingGates", Ty::Array(&Ty::Ref(&POD_SCHEDULING_GATE)), "Named gates that keep the pod from being scheduled until all of them are removed."),
        f("securityContext", Ty::Ref(&POD_SECURITY_CONTEXT), "Pod-wide security settings, such as user and group IDs, that apply to all containers unless a container overrides them."),
        f("serviceAccount", STRING, "Old name for serviceAccountName. Deprecated."),
        f("serviceAccountName", STRING, "Name of the ServiceAccount whose identity the pod runs with. Defaults to `default`."),
        f("setHostnameAsFQDN", BOOLEAN, "When true, the pod's hostname is set to its fully qualified domain name instead of the short name. Defaults to false."),
        f("shareProcessNamespace", BOOLEAN, "When true, all containers in the pod share one process namespace, so they can see and signal each other's processes. Defaults to false."),
        f("subdomain", STRING, "When set, the pod's fully qualified name becomes <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>, resolvable through a headless Service of the same name."),
        f("terminationGracePeriodSeconds", INTEGER, "Seconds the pod is given to shut down after it is asked to stop, before its processes are killed. Set above 0 to allow clean shutdown. Defaults to 30."),
        f("tolerations", Ty::Array(&Ty::Ref(&TOLERATION)), "Taints this pod tolerates, allowing it onto nodes that carry them."),
        f("topologySpreadConstraints", Ty::Array(&Ty::Ref(&TOPOLOGY_SPREAD_CONSTRAINT)), "Rules for spreading this pod and similar pods evenly across zones, nodes or other topology domains."),
        f("volumes", Ty::Array(&Ty::Ref(&VOLUME)), "Volumes that containers in the pod can mount."),
        f("workloadRef", Ty::Ref(&WORKLOAD_REFERENCE), "Links the pod to the workload and pod group it belongs to, for group-aware scheduling."),
    ],
};

pub(super) static POD_STATUS: Type = Type {
    name: "PodStatus",
    primitive: None,
    description: "Observed state of a pod.",
    fields: &[
        f("allocatedResources", Ty::Map(&Ty::Ref(&QUANTITY)), "Resources allocated to the pod as a whole."),
        f("conditions", Ty::Array(&Ty::Ref(&POD_CONDITION)), "Current conditions, such as `PodScheduled`, `Initialized`, `ContainersReady` and `Ready`."),
        f("containerStatuses", Ty::Array(&Ty::Ref(&CONTAINER_STATUS)), "Status of each main container."),
        f("ephemeralContainerStatuses", Ty::Array(&Ty::Ref(&CONTAINER_STATUS)), "Status of each ephemeral container."),
        f("extendedResourceClaimStatus", Ty::Ref(&POD_EXTENDED_RESOURCE_CLAIM_STATUS), "The claim created for extended resources the pod requests, and how they map to containers."),
        f("hostIP", STRING, "Primary IP of the node the pod runs on."),
        f("hostIPs", Ty::Array(&Ty::Ref(&HOST_IP)), "IPs of the node, at most one per IP family."),
        f("initContainerStatuses", Ty::Array(&Ty::Ref(&CONTAINER_STATUS)), "Status of each init container."),
        f("message", STRING, "Human-readable note on why the pod is in its current state."),
        f("nominatedNodeName", STRING, "Node this pod is expected to run on after preempting other pods there. Not guaranteed."),
        f("observedGeneration", INTEGER, "The metadata.generation this status describes."),
        f("phase", STRING, "Coarse lifecycle stage of the pod.\n - `Failed`: all containers ended and at least one failed.\n - `Pending`: accepted, but not all containers are running yet (including image pulls).\n - `Running`: bound to a node and at least one container is running or starting.\n - `Succeeded`: all containers ended successfully and will not restart.\n - `Unknown`: the state cannot be determined, usually because the node is unreachable.").enums(&["Failed", "Pending", "Running", "Succeeded", "Unknown"]),
        f("podIP", STRING, "Primary IP of the pod."),
        f("podIPs", Ty::Array(&Ty::Ref(&POD_IP)), "IPs of the pod, at most one per IP family."),
        f("qosClass", STRING, "Quality of service class, from the resources set.\n - `BestEffort`: no requests or limits.\n - `Burstable`: some requests or limits, but not Guaranteed.\n - `Guaranteed`: every container has equal cpu and memory requests and limits.").enums(&["BestEffort", "Burstable", "Guaranteed"]),
        f("reason", STRING, "Short CamelCase word for why the pod is in its state, such as `Evicted`."),
        f("resize", STRING, "Status of an in-place resize. Deprecated: conditions now report it."),
        f("resourceClaimStatuses", Ty::Array(&Ty::Ref(&POD_RESOURCE_CLAIM_STATUS)), "The ResourceClaims generated for the pod."),
        f("resources", Ty::Ref(&RESOURCE_REQUIREMENTS), "Resources the pod actually has, after any resize."),
        f("startTime", Ty::Ref(&TIME), "When the kubelet accepted the pod, before images were pulled."),
    ],
};

pub(super) static POD_TEMPLATE_SPEC: Type = Type {
    name: "PodTemplateSpec",
    primitive: None,
    description: "A template for creating pods: the metadata and spec each new pod starts from.",
    fields: &[
        f("metadata", Ty::Ref(&OBJECT_META), "Metadata given to each pod created from this template, most importantly the labels the owner's selector matches."),
        f("spec", Ty::Ref(&POD_SPEC), "The pod specification each new pod gets."),
    ],
};

pub(super) static PORT_STATUS: Type = Type {
    name: "PortStatus",
    primitive: None,
    description: "Status of one Service port on a load balancer.",
    fields: &[
        f("error", STRING, "Why the port is not working, if it is not. A CamelCase reason; empty when it works."),
        f("port", INTEGER, "The port number.").required(),
        f("protocol", STRING, "Protocol of the port.\n - `SCTP`: Stream Control Transmission Protocol.\n - `TCP`: Transmission Control Protocol.\n - `UDP`: User Datagram Protocol.").required().enums(&["SCTP", "TCP", "UDP"]),
    ],
};

pub(super) static PORTWORX_VOLUME_SOURCE: Type = Type {
    name: "PortworxVolumeSource",
    primitive: None,
    description: "A Portworx volume.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("volumeID", STRING, "ID of the volume.").required(),
    ],
};

pub(super) static PREFERRED_SCHEDULING_TERM: Type = Type {
    name: "PreferredSchedulingTerm",
    primitive: None,
    description: "A weighted node preference.",
    fields: &[
        f(
            "preference",
            Ty::Ref(&NODE_SELECTOR_TERM),
            "The node conditions to prefer.",
        )
        .required(),
        f("weight", INTEGER, "How much a match counts, from 1 to 100.").required(),
    ],
};

pub(super) static PROBE: Type = Type {
    name: "Probe",
    primitive: None,
    description: "A health check the kubelet runs against a container. Set exactly one of exec, grpc, httpGet or tcpSocket.",
    fields: &[
        f("exec", Ty::Ref(&EXEC_ACTION), "Run a command inside the container; exit code 0 is success."),
        f("failureThreshold", INTEGER, "How many failures in a row, after a success, make the probe count as failed. Defaults to 3, minimum 1."),
        f("grpc", Ty::Ref(&GRPC_ACTION), "Call the standard gRPC health-checking service on a port."),
        f("httpGet", Ty::Ref(&HTTP_GET_ACTION), "Send an HTTP GET request; a status code from 200 to 399 is success."),
        f("initialDelaySeconds", INTEGER, "Seconds to wait after the container starts before the first probe. Defaults to 0."),
        f("periodSeconds", INTEGER, "Seconds between probes. Defaults to 10, minimum 1."),
        f("successThreshold", INTEGER, "How many successes in a row, after a failure, make the probe count as passing. Defaults to 1, and must be 1 for liveness and startup probes."),
        f("tcpSocket", Ty::Ref(&TCP_SOCKET_ACTION), "Open a TCP connection to a port; connecting is success."),
        f("terminationGracePeriodSeconds", INTEGER, "Grace period, in seconds, for stopping the pod when this probe fails, overriding the pod's terminationGracePeriodSeconds. 1 or more; only for liveness and startup probes."),
        f("timeoutSeconds", INTEGER, "Seconds before a probe attempt times out. Defaults to 1, minimum 1."),
    ],
};

pub(super) static PROJECTED_VOLUME_SOURCE: Type = Type {
    name: "ProjectedVolumeSource",
    primitive: None,
    description: "Combines several sources into one volume directory.",
    fields: &[
        f("defaultMode", INTEGER, "Permission bits for the created files, 0000 to 0777, unless a source sets its own. Defaults to 0644."),
        f("sources", Ty::Array(&Ty::Ref(&VOLUME_PROJECTION)), "The sources to combine."),
    ],
};

pub(super) static QUANTITY: Type = Type {
    name: "Quantity",
    primitive: None,
    description: "A number with an optional unit suffix, used for resources. Binary suffixes: Ki, Mi, Gi, Ti, Pi, Ei. Decimal suffixes: m (thousandths), k, M, G, T, P, E. Examples: `500m` CPU, `128Mi` memory, `1.5`.",
    fields: &[],
};

pub(super) static QUOBYTE_VOLUME_SOURCE: Type = Type {
    name: "QuobyteVolumeSource",
    primitive: None,
    description: "A Quobyte mount that outlives the pod.",
    fields: &[
        f("group", STRING, "Group to map access to. Defaults to none."),
        f(
            "readOnly",
            BOOLEAN,
            "When true the volume is mounted read-only. Defaults to false.",
        ),
        f(
            "registry",
            STRING,
            "Quobyte registry address(es), as host:port, comma-separated.",
        )
        .required(),
        f(
            "tenant",
            STRING,
            "Tenant owning the volume. Used with dynamic provisioning.",
        ),
        f(
            "user",
            STRING,
            "User to map access to. Defaults to the service account user.",
        ),
        f("volume", STRING, "Name of an existing Quobyte volume.").required(),
    ],
};

pub(super) static RBD_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "RBDPersistentVolumeSource",
    primitive: None,
    description: "A Ceph RBD block device mounted on the node.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("image", STRING, "Name of the RBD image.").required(),
        f("keyring", STRING, "Path to the key ring for user. Defaults to /etc/ceph/keyring."),
        f("monitors", Ty::Array(&STRING), "Ceph monitor addresses.").required(),
        f("pool", STRING, "RADOS pool name. Defaults to rbd."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&SECRET_REFERENCE), "Secret holding the authentication key for user, overriding keyring."),
        f("user", STRING, "RADOS user name. Defaults to admin."),
    ],
};

pub(super) static RBD_VOLUME_SOURCE: Type = Type {
    name: "RBDVolumeSource",
    primitive: None,
    description: "A Ceph RBD block device mounted on the node.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("image", STRING, "Name of the RBD image.").required(),
        f("keyring", STRING, "Path to the key ring for user. Defaults to /etc/ceph/keyring."),
        f("monitors", Ty::Array(&STRING), "Ceph monitor addresses.").required(),
        f("pool", STRING, "RADOS pool name. Defaults to rbd."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Secret holding the authentication key for user, overriding keyring."),
        f("user", STRING, "RADOS user name. Defaults to admin."),
    ],
};

pub(super) static RAW_EXTENSION: Type = Type {
    name: "RawExtension",
    primitive: None,
    description: "An embedded object of any kind, kept as raw JSON.",
    fields: &[],
};

pub(super) static REPLICA_SET: Type = Type {
    name: "ReplicaSet",
    primitive: None,
    description: "Keeps a given number of identical pods running. Usually created and managed by a Deployment.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&REPLICA_SET_SPEC), "The desired pods."),
        f("status", Ty::Ref(&REPLICA_SET_STATUS), "What the controller last observed. It can lag behind."),
    ],
};

pub(super) static REPLICA_SET_CONDITION: Type = Type {
    name: "ReplicaSetCondition",
    primitive: None,
    description: "One observation about a ReplicaSet.",
    fields: &[
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed status.",
        ),
        f("message", STRING, "Human-readable details."),
        f(
            "reason",
            STRING,
            "CamelCase word explaining the last transition.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f("type", STRING, "The condition, such as `ReplicaFailure`.").required(),
    ],
};

pub(super) static REPLICA_SET_SPEC: Type = Type {
    name: "ReplicaSetSpec",
    primitive: None,
    description: "The desired state of a ReplicaSet.",
    fields: &[
        f("minReadySeconds", INTEGER, "How long a new pod must stay ready with no container crashing before it counts as available. Defaults to 0."),
        f("replicas", INTEGER, "How many pods to run. Defaults to 1."),
        f("selector", Ty::Ref(&LABEL_SELECTOR), "Label query for the pods this ReplicaSet owns. Must match the template's labels.").required(),
        f("template", Ty::Ref(&POD_TEMPLATE_SPEC), "Blueprint for new pods when there are too few."),
    ],
};

pub(super) static REPLICA_SET_STATUS: Type = Type {
    name: "ReplicaSetStatus",
    primitive: None,
    description: "Observed state of a ReplicaSet.",
    fields: &[
        f(
            "availableReplicas",
            INTEGER,
            "Pods that have been ready for at least minReadySeconds.",
        ),
        f(
            "conditions",
            Ty::Array(&Ty::Ref(&REPLICA_SET_CONDITION)),
            "Latest observations about the ReplicaSet.",
        ),
        f(
            "fullyLabeledReplicas",
            INTEGER,
            "Pods whose labels match the template's labels.",
        ),
        f(
            "observedGeneration",
            INTEGER,
            "The metadata.generation this status describes.",
        ),
        f(
            "readyReplicas",
            INTEGER,
            "Pods whose Ready condition is true.",
        ),
        f(
            "replicas",
            INTEGER,
            "Pods owned by the ReplicaSet that are not terminating.",
        )
        .required(),
        f(
            "terminatingReplicas",
            INTEGER,
            "Pods that are shutting down but not yet gone.",
        ),
    ],
};

pub(super) static RESOURCE_CLAIM: Type = Type {
    name: "ResourceClaim",
    primitive: None,
    description: "A dynamically allocated resource a container uses.",
    fields: &[
        f(
            "name",
            STRING,
            "Name of an entry in the pod's resourceClaims.",
        )
        .required(),
        f(
            "request",
            STRING,
            "Name of one request inside that claim. When empty, the whole claim is available.",
        ),
    ],
};

pub(super) static RESOURCE_FIELD_SELECTOR: Type = Type {
    name: "ResourceFieldSelector",
    primitive: None,
    description: "Picks a container's resource request or limit, such as its memory limit.",
    fields: &[
        f(
            "containerName",
            STRING,
            "The container to read from. Required for volumes, optional for environment variables.",
        ),
        f(
            "divisor",
            Ty::Ref(&QUANTITY),
            "Unit the value is divided by before it is written out. Defaults to 1.",
        ),
        f(
            "resource",
            STRING,
            "The resource to read, such as limits.cpu or requests.memory.",
        )
        .required(),
    ],
};

pub(super) static RESOURCE_HEALTH: Type = Type {
    name: "ResourceHealth",
    primitive: None,
    description: "Health of one device.",
    fields: &[
        f("health", STRING, "`Healthy`, `Unhealthy` or `Unknown`."),
        f("resourceID", STRING, "ID of the device.").required(),
    ],
};

pub(super) static RESOURCE_REQUIREMENTS: Type = Type {
    name: "ResourceRequirements",
    primitive: None,
    description: "Compute resources a container or pod asks for (requests) and may not exceed (limits), such as cpu and memory.",
    fields: &[
        f("claims", Ty::Array(&Ty::Ref(&RESOURCE_CLAIM)), "Names of entries in the pod's resourceClaims this container uses. Only for dynamically allocated resources; cannot be updated."),
        f("limits", Ty::Map(&Ty::Ref(&QUANTITY)), "Most of each resource the container may use. Going over the memory limit gets the container killed; CPU use above the limit is throttled."),
        f("requests", Ty::Map(&Ty::Ref(&QUANTITY)), "Amount of each resource the container is guaranteed and that the scheduler reserves. When unset, it defaults to the limit if one is set."),
    ],
};

pub(super) static RESOURCE_STATUS: Type = Type {
    name: "ResourceStatus",
    primitive: None,
    description: "Health of the devices behind one resource.",
    fields: &[
        f("name", STRING, "Name of the resource.").required(),
        f(
            "resources",
            Ty::Array(&Ty::Ref(&RESOURCE_HEALTH)),
            "Health of each device.",
        ),
    ],
};

pub(super) static ROLLING_UPDATE_DEPLOYMENT: Type = Type {
    name: "RollingUpdateDeployment",
    primitive: None,
    description: "Limits for a Deployment rolling update.",
    fields: &[
        f("maxSurge", Ty::Ref(&INT_OR_STRING), "How many pods above the desired count may exist during the update, as a number or a percentage (rounded up). Defaults to 25%. Cannot be 0 when maxUnavailable is 0."),
        f("maxUnavailable", Ty::Ref(&INT_OR_STRING), "How many pods below the desired count may be unavailable during the update, as a number or a percentage (rounded down). Defaults to 25%. Cannot be 0 when maxSurge is 0."),
    ],
};

pub(super) static ROLLING_UPDATE_STATEFUL_SET_STRATEGY: Type = Type {
    name: "RollingUpdateStatefulSetStrategy",
    primitive: None,
    description: "Settings for a StatefulSet rolling update.",
    fields: &[
        f("maxUnavailable", Ty::Ref(&INT_OR_STRING), "How many pods may be unavailable at once during the update, as a number or a percentage of replicas (rounded up). Defaults to 1. Only used when the MaxUnavailableStatefulSet feature is enabled."),
        f("partition", INTEGER, "Only pods with an ordinal greater than or equal to this number are updated; lower ones keep the old template, even when recreated. Use it to stage or canary a rollout. Defaults to 0 (update all)."),
    ],
};

pub(super) static SE_LINUX_OPTIONS: Type = Type {
    name: "SELinuxOptions",
    primitive: None,
    description: "SELinux labels for a container.",
    fields: &[
        f("level", STRING, "The SELinux level."),
        f("role", STRING, "The SELinux role."),
        f("type", STRING, "The SELinux type."),
        f("user", STRING, "The SELinux user."),
    ],
};

pub(super) static SCALE_IO_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "ScaleIOPersistentVolumeSource",
    primitive: None,
    description: "A ScaleIO volume.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("gateway", STRING, "Address of the ScaleIO API gateway.").required(),
        f("protectionDomain", STRING, "Protection domain of the storage."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&SECRET_REFERENCE), "Secret with the ScaleIO user credentials. Required.").required(),
        f("sslEnabled", BOOLEAN, "Use SSL to talk to the gateway. Defaults to false."),
        f("storageMode", STRING, "`ThickProvisioned` or `ThinProvisioned`. Defaults to `ThinProvisioned`."),
        f("storagePool", STRING, "Storage pool of the protection domain."),
        f("system", STRING, "Name of the ScaleIO storage system.").required(),
        f("volumeName", STRING, "Name of an existing volume in the system."),
    ],
};

pub(super) static SCALE_IO_VOLUME_SOURCE: Type = Type {
    name: "ScaleIOVolumeSource",
    primitive: None,
    description: "A ScaleIO volume.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("gateway", STRING, "Address of the ScaleIO API gateway.").required(),
        f("protectionDomain", STRING, "Protection domain of the storage."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Secret with the ScaleIO user credentials. Required.").required(),
        f("sslEnabled", BOOLEAN, "Use SSL to talk to the gateway. Defaults to false."),
        f("storageMode", STRING, "`ThickProvisioned` or `ThinProvisioned`. Defaults to `ThinProvisioned`."),
        f("storagePool", STRING, "Storage pool of the protection domain."),
        f("system", STRING, "Name of the ScaleIO storage system.").required(),
        f("volumeName", STRING, "Name of an existing volume in the system."),
    ],
};

pub(super) static SECCOMP_PROFILE: Type = Type {
    name: "SeccompProfile",
    primitive: None,
    description: "Which seccomp profile filters the system calls of a container. Set exactly one source.",
    fields: &[
        f("localhostProfile", STRING, "Path of a profile file on the node, relative to the kubelet's seccomp directory. Only with type `Localhost`."),
        f("type", STRING, "Which kind of profile.\n - `Localhost`: a profile file on the node.\n - `RuntimeDefault`: the filter the runtime ships with.\n - `Unconfined`: no filtering.").required().enums(&["Localhost", "RuntimeDefault", "Unconfined"]),
    ],
};

pub(super) static SERVICE_ACCOUNT: Type = Type {
    name: "ServiceAccount",
    primitive: None,
    description: "An identity that processes in pods run as when they talk to the API server. Each namespace has one called `default`, used by pods that name no other.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("automountServiceAccountToken", BOOLEAN, "Whether pods using this account get its API token mounted unless they say otherwise themselves."),
        f("imagePullSecrets", Ty::Array(&Ty::Ref(&LOCAL_OBJECT_REFERENCE)), "Registry credentials added to every pod that uses this account, for pulling its images."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("secrets", Ty::Array(&Ty::Ref(&OBJECT_REFERENCE)), "Secrets in the account's namespace that pods using it may mount. Long-lived token secrets are no longer made automatically; pods get short-lived projected tokens instead."),
    ],
};

pub(super) static SECRET: Type = Type {
    name: "Secret",
    primitive: None,
    description: "Holds a small amount of sensitive data, such as passwords, tokens or keys. Values are stored base64-encoded.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("data", Ty::Map(&STRING), "The secret values, base64-encoded. Keys may contain letters, digits, `-`, `_` and `.`."),
        f("immutable", BOOLEAN, "When true, the data cannot be changed any more; only deleting and recreating works. It cannot be unset."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("stringData", Ty::Map(&STRING), "Plain-text values, a write-only convenience. They are encoded and merged into data, replacing keys that exist there. Never returned on read."),
        f("type", STRING, "The kind of secret, which decides what keys it must have, such as `Opaque` (the default), `kubernetes.io/tls` or `kubernetes.io/dockerconfigjson`."),
    ],
};

pub(super) static SECRET_ENV_SOURCE: Type = Type {
    name: "SecretEnvSource",
    primitive: None,
    description: "Selects a Secret whose keys become environment variables.",
    fields: &[
        f("name", STRING, "Secret name (same namespace as the pod)."),
        f(
            "optional",
            BOOLEAN,
            "When true, a missing Secret is not an error.",
        ),
    ],
};

pub(super) static SECRET_KEY_SELECTOR: Type = Type {
    name: "SecretKeySelector",
    primitive: None,
    description: "Picks one key of a Secret.",
    fields: &[
        f("key", STRING, "The key to read.").required(),
        f("name", STRING, "Secret name (same namespace as the pod)."),
        f(
            "optional",
            BOOLEAN,
            "When true, a missing Secret or key is not an error.",
        ),
    ],
};

pub(super) static SECRET_PROJECTION: Type = Type {
    name: "SecretProjection",
    primitive: None,
    description: "Secret keys written into a projected volume.",
    fields: &[
        f("items", Ty::Array(&Ty::Ref(&KEY_TO_PATH)), "Picks which keys to project and the file path of each. Without it every key becomes a file named after the key."),
        f("name", STRING, "Secret name (same namespace as the pod)."),
        f("optional", BOOLEAN, "When true, a missing Secret or key is not an error."),
    ],
};

pub(super) static SECRET_REFERENCE: Type = Type {
    name: "SecretReference",
    primitive: None,
    description: "Names a Secret, possibly in another namespace.",
    fields: &[
        f("name", STRING, "Name of the Secret."),
        f("namespace", STRING, "Namespace of the Secret."),
    ],
};

pub(super) static SECRET_VOLUME_SOURCE: Type = Type {
    name: "SecretVolumeSource",
    primitive: None,
    description: "Fills a volume with files made from a Secret's keys: each key becomes a file holding its decoded value.",
    fields: &[
        f("defaultMode", INTEGER, "Permission bits for the created files, 0000 to 0777 (octal in YAML, decimal in JSON). Defaults to 0644. Other mode bits may also be set by the system."),
        f("items", Ty::Array(&Ty::Ref(&KEY_TO_PATH)), "Picks which keys to project and the file path of each. Without it every key becomes a file named after the key. A listed key missing from the Secret is an error unless optional is set."),
        f("optional", BOOLEAN, "When true, a missing Secret or key is not an error."),
        f("secretName", STRING, "Secret name (same namespace as the pod)."),
    ],
};

pub(super) static SECURITY_CONTEXT: Type = Type {
    name: "SecurityContext",
    primitive: None,
    description: "Security settings for one container. Where the pod's securityContext sets the same thing, this wins.",
    fields: &[
        f("allowPrivilegeEscalation", BOOLEAN, "Whether child processes may end up more privileged than the process that started them (controls no_new_privs). Always true when the container is privileged or has CAP_SYS_ADMIN. Linux only."),
        f("appArmorProfile", Ty::Ref(&APP_ARMOR_PROFILE), "AppArmor profile for the container. Linux only."),
        f("capabilities", Ty::Ref(&CAPABILITIES), "Linux capabilities to add or drop. Linux only."),
        f("privileged", BOOLEAN, "Run with nearly full access to the host, like root on the node. Defaults to false. Linux only."),
        f("procMount", STRING, "How /proc is mounted. Needs hostUsers false. Linux only.\n - `Default`: the runtime's default, hiding and read-only masking some paths.\n - `Unmasked`: no masking.").enums(&["Default", "Unmasked"]),
        f("readOnlyRootFilesystem", BOOLEAN, "Mount the container's root filesystem read-only. Defaults to false. Linux only."),
        f("runAsGroup", INTEGER, "Group ID the process runs as. Linux only."),
        f("runAsNonRoot", BOOLEAN, "When true, the kubelet refuses to start the container if it would run as root."),
        f("runAsUser", INTEGER, "User ID the process runs as. Defaults to the image's user. Linux only."),
        f("seLinuxOptions", Ty::Ref(&SE_LINUX_OPTIONS), "SELinux context for the container. Linux only."),
        f("seccompProfile", Ty::Ref(&SECCOMP_PROFILE), "Seccomp profile for the container. Linux only."),
        f("windowsOptions", Ty::Ref(&WINDOWS_SECURITY_CONTEXT_OPTIONS), "Windows-specific settings."),
    ],
};

pub(super) static SERVICE: Type = Type {
    name: "Service",
    primitive: None,
    description: "A stable name and virtual IP for a set of pods chosen by label, with load balancing across them. It can also be exposed outside the cluster.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&SERVICE_SPEC), "What the Service exposes and how."),
        f("status", Ty::Ref(&SERVICE_STATUS), "Current state of the Service, such as its load balancer."),
    ],
};

pub(super) static SERVICE_ACCOUNT_TOKEN_PROJECTION: Type = Type {
    name: "ServiceAccountTokenProjection",
    primitive: None,
    description: "A service account token written into a projected volume. The kubelet refreshes it before it expires.",
    fields: &[
        f("audience", STRING, "Who the token is meant for. The receiver must check that it is named here. Defaults to the API server."),
        f("expirationSeconds", INTEGER, "Requested lifetime of the token, at least 600 seconds. Unset means one hour. The kubelet renews it well before expiry (after 80% of its lifetime, or a day at most)."),
        f("path", STRING, "File path for the token, relative to the mount point.").required(),
    ],
};

pub(super) static SERVICE_PORT: Type = Type {
    name: "ServicePort",
    primitive: None,
    description: "One port a Service exposes.",
    fields: &[
        f("appProtocol", STRING, "Application protocol carried on the port, such as `http`, `kubernetes.io/h2c`, or a domain-prefixed name. A hint for implementations."),
        f("name", STRING, "Name of the port, unique within the Service. Required when there is more than one port. Must be a DNS label."),
        f("nodePort", INTEGER, "Port opened on every node for `NodePort` and `LoadBalancer` Services. Picked from the node port range if unset."),
        f("port", INTEGER, "Port the Service listens on.").required(),
        f("protocol", STRING, "Network protocol. Defaults to `TCP`.\n - `SCTP`: Stream Control Transmission Protocol.\n - `TCP`: Transmission Control Protocol.\n - `UDP`: User Datagram Protocol.").enums(&["SCTP", "TCP", "UDP"]),
        f("targetPort", Ty::Ref(&INT_OR_STRING), "Port on the pods to send traffic to, as a number or a named container port. Defaults to port."),
    ],
};

pub(super) static SERVICE_SPEC: Type = Type {
    name: "ServiceSpec",
    primitive: None,
    description: "The desired behaviour of a Service.",
    fields: &[
        f("allocateLoadBalancerNodePorts", BOOLEAN, "For `LoadBalancer` Services, whether node ports are allocated. Defaults to true; turn it off if the load balancer sends traffic straight to pods."),
        f("clusterIP", STRING, "The virtual IP of the Service, usually assigned automatically. `None` makes a headless Service with no virtual IP, where DNS returns the pod addresses. Can only be changed when switching to or from `ExternalName`."),
        f("clusterIPs", Ty::Array(&STRING), "All virtual IPs of the Service, one per IP family (at most two). The first equals clusterIP."),
        f("externalIPs", Ty::Array(&STRING), "Extra IPs, not managed by Kubernetes, on which the nodes also accept traffic for the Service."),
        f("externalName", STRING, "DNS name returned as a CNAME record for `ExternalName` Services."),
        f("externalTrafficPolicy", STRING, "How traffic arriving from outside (node ports, load balancers) is routed.\n - `Cluster`: to ready endpoints on any node; the client IP may be hidden.\n - `Local`: only to endpoints on the receiving node, keeping the client IP; traffic is dropped if there are none.").enums(&["Cluster", "Local"]),
        f("healthCheckNodePort", INTEGER, "Node port a load balancer can check for local endpoints, used when externalTrafficPolicy is `Local`. Allocated automatically if unset."),
        f("internalTrafficPolicy", STRING, "How traffic from inside the cluster to the cluster IP is routed.\n - `Cluster`: to any ready endpoint.\n - `Local`: only to endpoints on the client's own node; dropped if that node has none.").enums(&["Cluster", "Local"]),
        f("ipFamilies", Ty::Array(&STRING), "IP families of the Service, `IPv4` and/or `IPv6`, in order. Set automatically from ipFamilyPolicy and the cluster's configuration."),
        f("ipFamilyPolicy", STRING, "Whether the Service gets one IP family or two.\n - `PreferDualStack`: two families when the cluster supports it, else one.\n - `RequireDualStack`: two families or fail.\n - `SingleStack`: one family.").enums(&["PreferDualStack", "RequireDualStack", "SingleStack"]),
        f("loadBalancerClass", STRING, "Which load balancer implementation handles a `LoadBalancer` Service. Unset means the cloud provider's default. Cannot be changed."),
        f("loadBalancerIP", STRING, "Requested IP for the load balancer, if the provider supports it. Deprecated; use the provider's own annotations."),
        f("loadBalancerSourceRanges", Ty::Array(&STRING), "Client IP ranges allowed to reach the load balancer, if the provider supports it."),
        f("ports", Ty::Array(&Ty::Ref(&SERVICE_PORT)), "Ports the Service exposes."),
        f("publishNotReadyAddresses", BOOLEAN, "When true, pods are listed in DNS and endpoints even if they are not ready. Useful for StatefulSet peers finding each other at startup."),
        f("selector", Ty::Map(&STRING), "Labels of the pods traffic is sent to. Without a selector no endpoints are managed for you. Ignored for `ExternalName`."),
        f("sessionAffinity", STRING, "Whether a client keeps reaching the same pod. Defaults to `None`.\n - `ClientIP`: requests from one client IP go to the same pod.\n - `None`: no stickiness.").enums(&["ClientIP", "None"]),
        f("sessionAffinityConfig", Ty::Ref(&SESSION_AFFINITY_CONFIG), "Settings for session affinity."),
        f("trafficDistribution", STRING, "Preference for how traffic is spread across endpoints, such as `PreferClose` to favour endpoints in the same zone."),
        f("type", STRING, "Kind of access the Service gives. Defaults to `ClusterIP`.\n - `ClusterIP`: a virtual IP reachable inside the cluster.\n - `ExternalName`: a DNS alias for externalName, without proxying.\n - `LoadBalancer`: a NodePort Service plus an external load balancer.\n - `NodePort`: a ClusterIP Service plus a port opened on every node.").enums(&["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]),
    ],
};

pub(super) static SERVICE_STATUS: Type = Type {
    name: "ServiceStatus",
    primitive: None,
    description: "Observed state of a Service.",
    fields: &[
        f(
            "conditions",
            Ty::Array(&Ty::Ref(&CONDITION)),
            "Current conditions of the Service.",
        ),
        f(
            "loadBalancer",
            Ty::Ref(&LOAD_BALANCER_STATUS),
            "The external load balancer, if there is one.",
        ),
    ],
};

pub(super) static SESSION_AFFINITY_CONFIG: Type = Type {
    name: "SessionAffinityConfig",
    primitive: None,
    description: "Settings for Service session affinity.",
    fields: &[f(
        "clientIP",
        Ty::Ref(&CLIENT_IP_CONFIG),
        "Settings for `ClientIP` affinity.",
    )],
};

pub(super) static SLEEP_ACTION: Type = Type {
    name: "SleepAction",
    primitive: None,
    description: "Waits for a while, as a lifecycle hook.",
    fields: &[f("seconds", INTEGER, "How many seconds to sleep.").required()],
};

pub(super) static STATEFUL_SET: Type = Type {
    name: "StatefulSet",
    primitive: None,
    description: "Runs a set of pods that each keep a stable identity: a fixed ordinal, a predictable hostname and DNS name, and their own persistent volume claims that follow the pod across restarts and rescheduling.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&STATEFUL_SET_SPEC), "The desired state: how many pods, what they look like, and how they are named, stored and updated."),
        f("status", Ty::Ref(&STATEFUL_SET_STATUS), "What the controller last observed about the pods of this set. It can lag behind reality."),
    ],
};

pub(super) static STATEFUL_SET_CONDITION: Type = Type {
    name: "StatefulSetCondition",
    primitive: None,
    description: "One observation about a StatefulSet at a point in time.",
    fields: &[
        f(
            "lastTransitionTime",
            Ty::Ref(&TIME),
            "When the condition last changed from one status to another.",
        ),
        f(
            "message",
            STRING,
            "Human-readable details about the last transition.",
        ),
        f(
            "reason",
            STRING,
            "Short CamelCase word explaining the last transition.",
        ),
        f(
            "status",
            STRING,
            "Whether the condition holds: `True`, `False` or `Unknown`.",
        )
        .required(),
        f("type", STRING, "The kind of condition this entry reports.").required(),
    ],
};

pub(super) static STATEFUL_SET_ORDINALS: Type = Type {
    name: "StatefulSetOrdinals",
    primitive: None,
    description: "The numbering used for the pods of a StatefulSet.",
    fields: &[
        f("start", INTEGER, "The first ordinal. With `start: 5` and 3 replicas the pods are numbered 5, 6 and 7. Defaults to 0."),
    ],
};

pub(super) static STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY: Type = Type {
    name: "StatefulSetPersistentVolumeClaimRetentionPolicy",
    primitive: None,
    description: "What happens to the claims created from volumeClaimTemplates when they are no longer needed.",
    fields: &[
        f("whenDeleted", STRING, "What to do with the claims when the StatefulSet itself is deleted. `Retain` (the default) keeps them; `Delete` removes them once their pods are gone."),
        f("whenScaled", STRING, "What to do with the claims of pods removed by scaling down. `Retain` (the default) keeps them for when the set scales up again; `Delete` removes the claims above the new replica count."),
    ],
};

pub(super) static STATEFUL_SET_SPEC: Type = Type {
    name: "StatefulSetSpec",
    primitive: None,
    description: "The desired state of a StatefulSet.",
    fields: &[
        f("minReadySeconds", INTEGER, "How long, in seconds, a new pod must stay ready with no container crashing before it counts as available. Defaults to 0: available as soon as ready."),
        f("ordinals", Ty::Ref(&STATEFUL_SET_ORDINALS), "Controls the number range used to name the pods. By default pods are numbered from 0."),
        f("persistentVolumeClaimRetentionPolicy", Ty::Ref(&STATEFUL_SET_PERSISTENT_VOLUME_CLAIM_RETENTION_POLICY), "Whether the claims created from volumeClaimTemplates are kept or deleted when the StatefulSet is deleted or scaled down. By default they are kept."),
        f("podManagementPolicy", STRING, "How pods are created and removed when scaling. Cannot be changed after creation.\n - `OrderedReady`: one at a time, in order; pod N+1 starts only when pod N is running and ready, and scale-down removes the highest ordinal first. The default.\n - `Parallel`: all pods are created or deleted at once without waiting for each other.").enums(&["OrderedReady", "Parallel"]),
        f("replicas", INTEGER, "How many pods to run. Defaults to 1."),
        f("revisionHistoryLimit", INTEGER, "How many old ControllerRevisions to keep so you can roll back. Defaults to 10."),
        f("selector", Ty::Ref(&LABEL_SELECTOR), "Label query that picks the pods this StatefulSet owns. It must match the labels of the pod template and cannot be changed.").required(),
        f("serviceName", STRING, "Name of the (usually headless) Service that gives the pods their network identity, so each pod is reachable as <pod-name>.<serviceName>.<namespace>.svc. The Service must exist; the StatefulSet does not create it."),
        f("template", Ty::Ref(&POD_TEMPLATE_SPEC), "Blueprint for the pods. Every pod gets its name and ordinal from the StatefulSet, and its volumes from volumeClaimTemplates in addition to those listed here. Only some fields may change after creation.").required(),
        f("updateStrategy", Ty::Ref(&STATEFUL_SET_UPDATE_STRATEGY), "How pods are replaced when the template changes."),
        f("volumeClaimTemplates", Ty::Array(&Ty::Ref(&PERSISTENT_VOLUME_CLAIM)), "Templates for per-pod PersistentVolumeClaims. For each template and each pod the controller creates a claim named <template-name>-<pod-name>, and a pod volume with the template's name that mounts it. These claims keep their data when the pod is replaced."),
    ],
};

pub(super) static STATEFUL_SET_STATUS: Type = Type {
    name: "StatefulSetStatus",
    primitive: None,
    description: "The state of a StatefulSet as last observed by its controller.",
    fields: &[
        f("availableReplicas", INTEGER, "Number of pods that have been ready for at least minReadySeconds."),
        f("collisionCount", INTEGER, "Counter the controller bumps when the hash of a new ControllerRevision clashes with an existing one; it is mixed into the next revision name to avoid the clash."),
        f("conditions", Ty::Array(&Ty::Ref(&STATEFUL_SET_CONDITION)), "Latest observations about the StatefulSet, one entry per condition type."),
        f("currentReplicas", INTEGER, "Number of pods created from the revision named in currentRevision."),
        f("currentRevision", STRING, "Name of the ControllerRevision that the pods ran before the rollout in progress (or all pods run when no rollout is in progress)."),
        f("observedGeneration", INTEGER, "The metadata.generation this status describes. When lower than the object's generation, the controller has not yet processed the latest spec."),
        f("readyReplicas", INTEGER, "Number of pods whose Ready condition is true."),
        f("replicas", INTEGER, "Number of pods the controller has created.").required(),
        f("updateRevision", STRING, "Name of the ControllerRevision built from the current template; pods are moved to it during a rollout."),
        f("updatedReplicas", INTEGER, "Number of pods created from the revision named in updateRevision."),
    ],
};

pub(super) static STATEFUL_SET_UPDATE_STRATEGY: Type = Type {
    name: "StatefulSetUpdateStrategy",
    primitive: None,
    description: "How the StatefulSet controller replaces pods after the pod template changes, with any settings the chosen strategy needs.",
    fields: &[
        f("rollingUpdate", Ty::Ref(&ROLLING_UPDATE_STATEFUL_SET_STRATEGY), "Settings for the `RollingUpdate` strategy."),
        f("type", STRING, "The update strategy. Defaults to `RollingUpdate`.\n - `OnDelete`: pods are not replaced automatically; a pod gets the new template only when you delete it yourself.\n - `RollingUpdate`: pods are replaced automatically, one at a time from the highest ordinal down, waiting for each to become ready.").enums(&["OnDelete", "RollingUpdate"]),
    ],
};

pub(super) static STORAGE_CLASS: Type = Type {
    name: "StorageClass",
    primitive: None,
    description: "A class of storage that claims can ask for by name. It names a provisioner and the settings for volumes it creates. Cluster-scoped.",
    fields: &[
        f("allowVolumeExpansion", BOOLEAN, "Whether claims of this class can be resized larger."),
        f("allowedTopologies", Ty::Array(&Ty::Ref(&TOPOLOGY_SELECTOR_TERM)), "Where volumes may be provisioned, such as certain zones. Empty means anywhere."),
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("mountOptions", Ty::Array(&STRING), "Mount options given to volumes created from this class, such as `ro` or `soft`. Not validated."),
        f("parameters", Ty::Map(&STRING), "Settings passed to the provisioner, specific to it."),
        f("provisioner", STRING, "Name of the volume plugin or CSI driver that creates the volumes.").required(),
        f("reclaimPolicy", STRING, "Reclaim policy given to volumes created from this class. Defaults to `Delete`.\n - `Delete`: delete the volume when its claim is deleted.\n - `Recycle`: scrub and reuse. Deprecated.\n - `Retain`: keep the volume for manual cleanup.").enums(&["Delete", "Recycle", "Retain"]),
        f("volumeBindingMode", STRING, "When claims are bound and volumes provisioned. Defaults to `Immediate`.\n - `Immediate`: as soon as the claim is created.\n - `WaitForFirstConsumer`: only once a pod using the claim is scheduled, so the volume matches the pod's node.").enums(&["Immediate", "WaitForFirstConsumer"]),
    ],
};

pub(super) static STORAGE_OS_PERSISTENT_VOLUME_SOURCE: Type = Type {
    name: "StorageOSPersistentVolumeSource",
    primitive: None,
    description: "A StorageOS volume.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&OBJECT_REFERENCE), "Secret with the StorageOS API credentials."),
        f("volumeName", STRING, "Name of the volume within its namespace."),
        f("volumeNamespace", STRING, "StorageOS namespace of the volume. Defaults to the pod's namespace."),
    ],
};

pub(super) static STORAGE_OS_VOLUME_SOURCE: Type = Type {
    name: "StorageOSVolumeSource",
    primitive: None,
    description: "A StorageOS volume.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("readOnly", BOOLEAN, "When true the volume is mounted read-only. Defaults to false."),
        f("secretRef", Ty::Ref(&LOCAL_OBJECT_REFERENCE), "Secret with the StorageOS API credentials."),
        f("volumeName", STRING, "Name of the volume within its namespace."),
        f("volumeNamespace", STRING, "StorageOS namespace of the volume. Defaults to the pod's namespace."),
    ],
};

pub(super) static SYSCTL: Type = Type {
    name: "Sysctl",
    primitive: None,
    description: "One kernel parameter to set.",
    fields: &[
        f(
            "name",
            STRING,
            "Name of the parameter, such as net.core.somaxconn.",
        )
        .required(),
        f("value", STRING, "Value to set.").required(),
    ],
};

pub(super) static TCP_SOCKET_ACTION: Type = Type {
    name: "TCPSocketAction",
    primitive: None,
    description: "Opens a TCP connection as a probe or hook.",
    fields: &[
        f(
            "host",
            STRING,
            "Host to connect to; unset means the pod IP.",
        ),
        f(
            "port",
            Ty::Ref(&INT_OR_STRING),
            "Port to connect to, as a number (1 to 65535) or the name of a container port.",
        )
        .required(),
    ],
};

pub(super) static TAINT: Type = Type {
    name: "Taint",
    primitive: None,
    description: "A mark on a node that repels pods not tolerating it.",
    fields: &[
        f("effect", STRING, "What happens to pods that do not tolerate the taint.\n - `NoExecute`: not scheduled, and already running pods are evicted.\n - `NoSchedule`: not scheduled; running pods stay.\n - `PreferNoSchedule`: avoided when possible.").required().enums(&["NoExecute", "NoSchedule", "PreferNoSchedule"]),
        f("key", STRING, "The taint key.").required(),
        f("timeAdded", Ty::Ref(&TIME), "When a `NoExecute` taint was added."),
        f("value", STRING, "The taint value."),
    ],
};

pub(super) static TIME: Type = Type {
    name: "Time",
    primitive: Some("string"),
    description: "A timestamp, written as an RFC 3339 string such as 2024-01-02T15:04:05Z.",
    fields: &[],
};

pub(super) static TOLERATION: Type = Type {
    name: "Toleration",
    primitive: None,
    description: "Lets a pod be scheduled on, or stay on, a node with a matching taint.",
    fields: &[
        f("effect", STRING, "Which taint effect to match. Empty matches all effects.\n - `NoExecute`: taints that evict running pods.\n - `NoSchedule`: taints that block new pods.\n - `PreferNoSchedule`: taints the scheduler tries to avoid.").enums(&["NoExecute", "NoSchedule", "PreferNoSchedule"]),
        f("key", STRING, "Taint key to match. Empty matches all keys, and then operator must be `Exists`."),
        f("operator", STRING, "How key and value are compared. Defaults to `Equal`.\n - `Equal`: the taint's value equals value.\n - `Exists`: any value; value must be empty.\n - `Gt`: the taint's value, as an integer, is greater than value.\n - `Lt`: the taint's value, as an integer, is less than value.").enums(&["Equal", "Exists", "Gt", "Lt"]),
        f("tolerationSeconds", INTEGER, "For `NoExecute`, how long the pod may stay after the taint appears before it is evicted. Unset means forever; 0 or less means evict at once."),
        f("value", STRING, "Taint value to match. Empty when operator is `Exists`."),
    ],
};

pub(super) static TOPOLOGY_SELECTOR_LABEL_REQUIREMENT: Type = Type {
    name: "TopologySelectorLabelRequirement",
    primitive: None,
    description: "A topology label and the values allowed for it.",
    fields: &[
        f(
            "key",
            STRING,
            "The topology label key, such as topology.kubernetes.io/zone.",
        )
        .required(),
        f(
            "values",
            Ty::Array(&STRING),
            "Allowed values; any one of them matches.",
        )
        .required(),
    ],
};

pub(super) static TOPOLOGY_SELECTOR_TERM: Type = Type {
    name: "TopologySelectorTerm",
    primitive: None,
    description: "A set of topology label conditions that must all hold.",
    fields: &[f(
        "matchLabelExpressions",
        Ty::Array(&Ty::Ref(&TOPOLOGY_SELECTOR_LABEL_REQUIREMENT)),
        "The label conditions.",
    )],
};

pub(super) static TOPOLOGY_SPREAD_CONSTRAINT: Type = Type {
    name: "TopologySpreadConstraint",
    primitive: None,
    description: "A rule for spreading matching pods evenly across topology domains.",
    fields: &[
        f("labelSelector", Ty::Ref(&LABEL_SELECTOR), "Label query for the pods counted in each domain."),
        f("matchLabelKeys", Ty::Array(&STRING), "Label keys whose values are taken from the incoming pod and added to labelSelector, such as pod-template-hash."),
        f("maxSkew", INTEGER, "The largest difference allowed between the number of matching pods in any two domains. Must be at least 1.").required(),
        f("minDomains", INTEGER, "Minimum number of eligible domains. If fewer exist, the global minimum is treated as 0 when computing skew. Only with `DoNotSchedule`."),
        f("nodeAffinityPolicy", STRING, "Whether the pod's nodeAffinity and nodeSelector limit the domains counted. Defaults to `Honor`.\n - `Honor`: only nodes matching them are counted.\n - `Ignore`: all nodes are counted.").enums(&["Honor", "Ignore"]),
        f("nodeTaintsPolicy", STRING, "Whether node taints limit the domains counted. Defaults to `Ignore`.\n - `Honor`: nodes with taints the pod does not tolerate are left out.\n - `Ignore`: all nodes are counted.").enums(&["Honor", "Ignore"]),
        f("topologyKey", STRING, "Node label that defines the domains, such as topology.kubernetes.io/zone. Nodes with the same value are in the same domain.").required(),
        f("whenUnsatisfiable", STRING, "What to do when the rule cannot be met.\n - `DoNotSchedule`: leave the pod unscheduled.\n - `ScheduleAnyway`: schedule it, but prefer nodes that reduce the skew.").required().enums(&["DoNotSchedule", "ScheduleAnyway"]),
    ],
};

pub(super) static TYPED_LOCAL_OBJECT_REFERENCE: Type = Type {
    name: "TypedLocalObjectReference",
    primitive: None,
    description: "Points to an object of a given kind in the same namespace.",
    fields: &[
        f(
            "apiGroup",
            STRING,
            "API group of the object. Empty for the core group.",
        ),
        f("kind", STRING, "Kind of the object.").required(),
        f("name", STRING, "Name of the object.").required(),
    ],
};

pub(super) static TYPED_OBJECT_REFERENCE: Type = Type {
    name: "TypedObjectReference",
    primitive: None,
    description: "Points to an object of a given kind, possibly in another namespace.",
    fields: &[
        f("apiGroup", STRING, "API group of the object. Empty for the core group."),
        f("kind", STRING, "Kind of the object.").required(),
        f("name", STRING, "Name of the object.").required(),
        f("namespace", STRING, "Namespace of the object. Another namespace needs a ReferenceGrant there. Defaults to the claim's namespace."),
    ],
};

pub(super) static VOLUME: Type = Type {
    name: "Volume",
    primitive: None,
    description: "A named volume in a pod that its containers can mount. Exactly one volume source field must be set.",
    fields: &[
        f("awsElasticBlockStore", Ty::Ref(&AWS_ELASTIC_BLOCK_STORE_VOLUME_SOURCE), "An AWS EBS disk attached to the node. Deprecated; the ebs.csi.aws.com CSI driver replaces it."),
        f("azureDisk", Ty::Ref(&AZURE_DISK_VOLUME_SOURCE), "An Azure data disk. Deprecated; the disk.csi.azure.com CSI driver replaces it."),
        f("azureFile", Ty::Ref(&AZURE_FILE_VOLUME_SOURCE), "An Azure File share. Deprecated; the file.csi.azure.com CSI driver replaces it."),
        f("cephfs", Ty::Ref(&CEPH_FS_VOLUME_SOURCE), "A CephFS mount. Deprecated and no longer supported."),
        f("cinder", Ty::Ref(&CINDER_VOLUME_SOURCE), "An OpenStack Cinder volume. Deprecated; the cinder.csi.openstack.org CSI driver replaces it."),
        f("configMap", Ty::Ref(&CONFIG_MAP_VOLUME_SOURCE), "Files built from the keys of a ConfigMap."),
        f("csi", Ty::Ref(&CSI_VOLUME_SOURCE), "An ephemeral volume provided by a CSI driver that supports inline volumes."),
        f("downwardAPI", Ty::Ref(&DOWNWARD_API_VOLUME_SOURCE), "Files holding information about the pod itself, such as its labels."),
        f("emptyDir", Ty::Ref(&EMPTY_DIR_VOLUME_SOURCE), "An empty directory created when the pod starts and removed when the pod is deleted; scratch space shared by the containers."),
        f("ephemeral", Ty::Ref(&EPHEMERAL_VOLUME_SOURCE), "A volume from a PersistentVolumeClaim that is created with the pod and deleted with it."),
        f("fc", Ty::Ref(&FC_VOLUME_SOURCE), "A Fibre Channel disk attached to the node."),
        f("flexVolume", Ty::Ref(&FLEX_VOLUME_SOURCE), "A volume from a FlexVolume driver plugin. Deprecated."),
        f("flocker", Ty::Ref(&FLOCKER_VOLUME_SOURCE), "A Flocker dataset. Deprecated and no longer supported."),
        f("gcePersistentDisk", Ty::Ref(&GCE_PERSISTENT_DISK_VOLUME_SOURCE), "A Google Compute Engine persistent disk. Deprecated in favour of its CSI driver."),
        f("gitRepo", Ty::Ref(&GIT_REPO_VOLUME_SOURCE), "A git repository cloned into an empty directory. Deprecated: clone it in an init container into an emptyDir instead."),
        f("glusterfs", Ty::Ref(&GLUSTERFS_VOLUME_SOURCE), "A GlusterFS mount. Deprecated and no longer supported."),
        f("hostPath", Ty::Ref(&HOST_PATH_VOLUME_SOURCE), "A file or directory from the node's filesystem. Powerful and risky; meant for system agents and privileged workloads."),
        f("image", Ty::Ref(&IMAGE_VOLUME_SOURCE), "Files from an OCI image or artifact, mounted read-only."),
        f("iscsi", Ty::Ref(&ISCSI_VOLUME_SOURCE), "An iSCSI disk attached to the node."),
        f("name", STRING, "Name of the volume, unique within the pod and a valid DNS label. Containers refer to it in volumeMounts.").required(),
        f("nfs", Ty::Ref(&NFS_VOLUME_SOURCE), "A directory exported by an NFS server."),
        f("persistentVolumeClaim", Ty::Ref(&PERSISTENT_VOLUME_CLAIM_VOLUME_SOURCE), "A PersistentVolumeClaim in the pod's namespace, giving the pod durable storage."),
        f("photonPersistentDisk", Ty::Ref(&PHOTON_PERSISTENT_DISK_VOLUME_SOURCE), "A VMware Photon persistent disk. Deprecated and no longer supported."),
        f("portworxVolume", Ty::Ref(&PORTWORX_VOLUME_SOURCE), "A Portworx volume. Deprecated; the pxd.portworx.com CSI driver replaces it."),
        f("projected", Ty::Ref(&PROJECTED_VOLUME_SOURCE), "Several sources (ConfigMaps, Secrets, downward API, tokens) combined into one directory."),
        f("quobyte", Ty::Ref(&QUOBYTE_VOLUME_SOURCE), "A Quobyte mount. Deprecated and no longer supported."),
        f("rbd", Ty::Ref(&RBD_VOLUME_SOURCE), "A Ceph RBD block device. Deprecated and no longer supported."),
        f("scaleIO", Ty::Ref(&SCALE_IO_VOLUME_SOURCE), "A ScaleIO volume. Deprecated and no longer supported."),
        f("secret", Ty::Ref(&SECRET_VOLUME_SOURCE), "Files built from the keys of a Secret."),
        f("storageos", Ty::Ref(&STORAGE_OS_VOLUME_SOURCE), "A StorageOS volume. Deprecated and no longer supported."),
        f("vsphereVolume", Ty::Ref(&VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE), "A vSphere disk. Deprecated; the csi.vsphere.vmware.com CSI driver replaces it."),
    ],
};

pub(super) static VOLUME_DEVICE: Type = Type {
    name: "VolumeDevice",
    primitive: None,
    description: "Exposes a raw block volume to a container as a device.",
    fields: &[
        f(
            "devicePath",
            STRING,
            "Path in the container where the device appears.",
        )
        .required(),
        f(
            "name",
            STRING,
            "Name of a pod volume backed by a block-mode claim.",
        )
        .required(),
    ],
};

pub(super) static VOLUME_MOUNT: Type = Type {
    name: "VolumeMount",
    primitive: None,
    description: "Mounts one of the pod's volumes into a container.",
    fields: &[
        f("mountPath", STRING, "Path inside the container where the volume appears. Must not contain `:`.").required(),
        f("mountPropagation", STRING, "Whether mounts made later on the node or in the container are seen on the other side. Defaults to `None`.\n - `Bidirectional`: mounts propagate both ways. Needs a privileged container.\n - `HostToContainer`: mounts made on the node show up in the container.\n - `None`: no propagation either way.").enums(&["Bidirectional", "HostToContainer", "None"]),
        f("name", STRING, "Name of the pod volume to mount.").required(),
        f("readOnly", BOOLEAN, "Mount the volume read-only when true. Defaults to false."),
        f("recursiveReadOnly", STRING, "Whether a read-only mount is also read-only for the mounts beneath it. `Disabled` (the default) makes only the top mount read-only; `Enabled` makes everything read-only or fails; `IfPossible` does so when the runtime supports it. Needs readOnly and mountPropagation `None`."),
        f("subPath", STRING, "Mount only this path inside the volume instead of its root. Defaults to the root."),
        f("subPathExpr", STRING, "Like subPath, but $(VAR) references to the container's environment variables are expanded. Cannot be combined with subPath."),
    ],
};

pub(super) static VOLUME_MOUNT_STATUS: Type = Type {
    name: "VolumeMountStatus",
    primitive: None,
    description: "The state of one of a container's volume mounts.",
    fields: &[
        f(
            "mountPath",
            STRING,
            "Where the volume is mounted in the container.",
        )
        .required(),
        f("name", STRING, "Name of the mounted volume.").required(),
        f("readOnly", BOOLEAN, "Whether the mount is read-only."),
        f(
            "recursiveReadOnly",
            STRING,
            "Whether mounts beneath this one are read-only too: `Enabled` or `Disabled`.",
        ),
    ],
};

pub(super) static VOLUME_NODE_AFFINITY: Type = Type {
    name: "VolumeNodeAffinity",
    primitive: None,
    description: "Which nodes a PersistentVolume can be used from.",
    fields: &[f(
        "required",
        Ty::Ref(&NODE_SELECTOR),
        "Node conditions that must hold for a node to use the volume.",
    )],
};

pub(super) static VOLUME_PROJECTION: Type = Type {
    name: "VolumeProjection",
    primitive: None,
    description: "One source of a projected volume. Set exactly one field.",
    fields: &[
        f(
            "clusterTrustBundle",
            Ty::Ref(&CLUSTER_TRUST_BUNDLE_PROJECTION),
            "Certificates from ClusterTrustBundle objects, written to one file.",
        ),
        f(
            "configMap",
            Ty::Ref(&CONFIG_MAP_PROJECTION),
            "Keys of a ConfigMap.",
        ),
        f(
            "downwardAPI",
            Ty::Ref(&DOWNWARD_API_PROJECTION),
            "Information about the pod.",
        ),
        f(
            "podCertificate",
            Ty::Ref(&POD_CERTIFICATE_PROJECTION),
            "A private key and a certificate issued for the pod by a signer.",
        ),
        f("secret", Ty::Ref(&SECRET_PROJECTION), "Keys of a Secret."),
        f(
            "serviceAccountToken",
            Ty::Ref(&SERVICE_ACCOUNT_TOKEN_PROJECTION),
            "A short-lived token for the pod's service account.",
        ),
    ],
};

pub(super) static VOLUME_RESOURCE_REQUIREMENTS: Type = Type {
    name: "VolumeResourceRequirements",
    primitive: None,
    description: "Storage size a claim asks for.",
    fields: &[
        f(
            "limits",
            Ty::Map(&Ty::Ref(&QUANTITY)),
            "Most storage the volume may use.",
        ),
        f(
            "requests",
            Ty::Map(&Ty::Ref(&QUANTITY)),
            "Minimum storage the volume must have, such as `storage: 10Gi`.",
        ),
    ],
};

pub(super) static VSPHERE_VIRTUAL_DISK_VOLUME_SOURCE: Type = Type {
    name: "VsphereVirtualDiskVolumeSource",
    primitive: None,
    description: "A vSphere virtual disk.",
    fields: &[
        f("fsType", STRING, "Filesystem type to mount, such as `ext4`, `xfs` or `ntfs`. It must be supported by the node's operating system; when unset the driver's default (usually `ext4`) is used."),
        f("storagePolicyID", STRING, "ID of the storage policy (SPBM profile)."),
        f("storagePolicyName", STRING, "Name of the storage policy (SPBM profile)."),
        f("volumePath", STRING, "Path of the disk's VMDK file.").required(),
    ],
};

pub(super) static WEIGHTED_POD_AFFINITY_TERM: Type = Type {
    name: "WeightedPodAffinityTerm",
    primitive: None,
    description: "A pod affinity term with a weight, for soft rules.",
    fields: &[
        f("podAffinityTerm", Ty::Ref(&POD_AFFINITY_TERM), "The term.").required(),
        f("weight", INTEGER, "How much a match counts, from 1 to 100.").required(),
    ],
};

pub(super) static WINDOWS_SECURITY_CONTEXT_OPTIONS: Type = Type {
    name: "WindowsSecurityContextOptions",
    primitive: None,
    description: "Windows-specific security settings.",
    fields: &[
        f("gmsaCredentialSpec", STRING, "Content of the GMSA credential spec, filled in by a webhook."),
        f("gmsaCredentialSpecName", STRING, "Which GMSA credential spec applies, by name."),
        f("hostProcess", BOOLEAN, "Run the container as a Windows HostProcess container with access to the host. All containers of the pod must agree."),
        f("runAsUserName", STRING, "Windows user name the entrypoint runs as. Defaults to the image's user."),
    ],
};

pub(super) static WORKLOAD_REFERENCE: Type = Type {
    name: "WorkloadReference",
    primitive: None,
    description: "Ties a pod to a Workload object and one of its pod groups.",
    fields: &[
        f(
            "name",
            STRING,
            "Name of the Workload in the pod's namespace.",
        )
        .required(),
        f(
            "podGroup",
            STRING,
            "Name of the pod group within the Workload.",
        )
        .required(),
        f(
            "podGroupReplicaKey",
            STRING,
            "Distinguishes replicas of the same pod group, such as in a multi-replica job.",
        ),
    ],
};

pub(super) static DAEMON_SET: Type = Type {
    name: "DaemonSet",
    primitive: None,
    description: "Runs one copy of a pod on every node it selects and tolerates, such as a network plugin or a node agent.",
    fields: &[
        f("apiVersion", STRING, "The API group and version the object is written against, such as `v1` or `apps/v1`. The server uses it to pick the schema for the rest of the object."),
        f("kind", STRING, "The object's type in CamelCase, such as `Pod`. Clients set it; it cannot change after creation."),
        f("metadata", Ty::Ref(&OBJECT_META), "Standard object metadata: name, namespace, labels, annotations, and fields the server fills in."),
        f("spec", Ty::Ref(&DAEMON_SET_SPEC), "The desired behaviour of the daemon set."),
        f("status", Ty::Ref(&DAEMON_SET_STATUS), "What the controller last observed. It can lag behind."),
    ],
};

pub(super) static DAEMON_SET_SPEC: Type = Type {
    name: "DaemonSetSpec",
    primitive: None,
    description: "The desired state of a DaemonSet.",
    fields: &[
        f("minReadySeconds", INTEGER, "How long a new pod must stay ready with no container crashing before it counts as available. Defaults to 0."),
        f("revisionHistoryLimit", INTEGER, "How many old revisions to keep for rollback. Defaults to 10."),
        f("selector", Ty::Ref(&LABEL_SELECTOR), "Label query for the pods this DaemonSet owns. Must match the template's labels.").required(),
        f("template", Ty::Ref(&POD_TEMPLATE_SPEC), "Blueprint for the pod each eligible node runs.").required(),
        f("updateStrategy", STRING, "How pods are replaced when the template changes: `RollingUpdate` (the default) or `OnDelete`."),
    ],
};

pub(super) static DAEMON_SET_STATUS: Type = Type {
    name: "DaemonSetStatus",
    primitive: None,
    description: "Observed state of a DaemonSet.",
    fields: &[
        f(
            "currentNumberScheduled",
            INTEGER,
            "Nodes running at least one daemon pod that should run it.",
        )
        .required(),
        f(
            "desiredNumberScheduled",
            INTEGER,
            "Nodes that should run the daemon pod.",
        )
        .required(),
        f(
            "numberAvailable",
            INTEGER,
            "Nodes whose daemon pod has been ready for at least minReadySeconds.",
        ),
        f(
            "numberMisscheduled",
            INTEGER,
            "Nodes running the daemon pod that should not run it.",
        )
        .required(),
        f("numberReady", INTEGER, "Nodes whose daemon pod is ready.").required(),
        f(
            "observedGeneration",
            INTEGER,
            "The metadata.generation this status describes.",
        ),
        f(
            "updatedNumberScheduled",
            INTEGER,
            "Nodes running the updated daemon pod.",
        ),
    ],
};
