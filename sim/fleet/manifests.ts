// Object builders for the fleet: specs shaped the way the instance service would create them.
import type { IJobTemplateSpec } from "kubernetes-models/batch/v1";
import type { KubeObject } from "../store/types";
import type { TenantPlan } from "./tenant-plan";
import { BAD_IMAGE_TAG_SUFFIX, MISSING_STORAGE_CLASS } from "./scenarios";

export const INGRESS_DOMAIN = "odoo.example.com";
export const PLATFORM_NAMESPACE = "saasodoo";
export const CSI_DRIVER = "rbd.csi.ceph.com";
export const LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
export const CEPH_CLUSTER_ID = "b9127830-b0cc-4e34-aa47-9d1a2e9949a8";

export const tenantNamespace = (db: string) => `tenant-${db}`;

export function tenantLabels(t: TenantPlan): Record<string, string> {
  return {
    "saasodoo.instance.id": t.instanceId,
    "saasodoo.instance.name": t.instanceName,
    "saasodoo.customer.id": t.customerId,
  };
}

function workloadLabels(t: TenantPlan): Record<string, string> {
  return {
    "app.kubernetes.io/name": "odoo",
    "app.kubernetes.io/instance": t.instanceName,
    "app.kubernetes.io/component": "web",
    "app.kubernetes.io/part-of": "saasodoo",
    "app.kubernetes.io/managed-by": "instance-service",
    ...tenantLabels(t),
  };
}

export function namespaceOf(t: TenantPlan, createdAt: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: tenantNamespace(t.databaseName),
      creationTimestamp: createdAt,
      labels: {
        "kubernetes.io/metadata.name": tenantNamespace(t.databaseName),
        "app.kubernetes.io/part-of": "saasodoo",
        "pod-security.kubernetes.io/enforce": "baseline",
        ...tenantLabels(t),
      },
      annotations: {
        "saasodoo.io/display-name": t.displayName,
        "saasodoo.io/customer-email": t.adminEmail,
        "saasodoo.io/instance-type": t.instanceType,
        "saasodoo.io/odoo-version": t.odooVersion,
        "saasodoo.io/billing-status": t.billingStatus,
      },
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

export function odooImageOf(t: TenantPlan): string {
  return t.problem === "image-pull" ? `odoo:${t.odooVersion}${BAD_IMAGE_TAG_SUFFIX}` : `odoo:${t.odooVersion}`;
}

export function deploymentOf(t: TenantPlan, createdAt: string, replicas: number): KubeObject {
  const labels = workloadLabels(t);
  const annotations: Record<string, string> = { "saasodoo.io/instance-type": t.instanceType };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: t.instanceName,
      namespace: tenantNamespace(t.databaseName),
      creationTimestamp: createdAt,
      labels: { ...labels, "app.kubernetes.io/version": t.odooVersion },
      annotations,
    },
    spec: {
      replicas,
      revisionHistoryLimit: 3,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { "app.kubernetes.io/name": "odoo", "saasodoo.instance.id": t.instanceId } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: "odoo",
              image: odooImageOf(t),
              imagePullPolicy: "IfNotPresent",
              args: ["--database", t.databaseName, "--db-filter", `^${t.databaseName}$`, "--proxy-mode"],
              env: [
                { name: "HOST", value: `postgres.${PLATFORM_NAMESPACE}.svc.cluster.local` },
                { name: "PORT", value: "5432" },
                { name: "USER", value: `odoo_${t.databaseName.replace(/-/g, "_")}` },
                { name: "ODOO_WORKERS", value: t.instanceType === "production" ? "4" : "0" },
              ],
              ports: [
                { name: "http", containerPort: 8069, protocol: "TCP" },
                { name: "longpolling", containerPort: 8072, protocol: "TCP" },
              ],
              resources: { requests: { ...t.resources.requests }, limits: { ...t.resources.limits } },
              livenessProbe: {
                httpGet: { path: "/web/health", port: 8069, scheme: "HTTP" },
                initialDelaySeconds: 30,
                periodSeconds: 20,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 3,
              },
              readinessProbe: {
                httpGet: { path: "/web/health", port: 8069, scheme: "HTTP" },
                initialDelaySeconds: 10,
                periodSeconds: 10,
                timeoutSeconds: 3,
                successThreshold: 1,
                failureThreshold: 3,
              },
              volumeMounts: [{ name: "filestore", mountPath: "/var/lib/odoo" }],
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          volumes: [{ name: "filestore", persistentVolumeClaim: { claimName: "odoo-filestore" } }],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          dnsPolicy: "ClusterFirst",
          schedulerName: "default-scheduler",
          securityContext: { runAsUser: 101, runAsGroup: 101, fsGroup: 101, runAsNonRoot: true },
        },
      },
    },
  };
}

export function serviceOf(t: TenantPlan, createdAt: string, clusterIP: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: t.instanceName, namespace: tenantNamespace(t.databaseName), creationTimestamp: createdAt, labels: workloadLabels(t) },
    spec: {
      type: "ClusterIP",
      clusterIP,
      clusterIPs: [clusterIP],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
      selector: { "app.kubernetes.io/name": "odoo", "saasodoo.instance.id": t.instanceId },
      ports: [
        { name: "http", port: 8069, targetPort: 8069, protocol: "TCP" },
        { name: "longpolling", port: 8072, targetPort: 8072, protocol: "TCP" },
      ],
    },
    status: { loadBalancer: {} },
  };
}

export function ingressOf(t: TenantPlan, createdAt: string): KubeObject {
  const host = `${t.databaseName}.${INGRESS_DOMAIN}`;
  const backend = (port: number) => ({ service: { name: t.instanceName, port: { number: port } } });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name: t.instanceName,
      namespace: tenantNamespace(t.databaseName),
      creationTimestamp: createdAt,
      labels: workloadLabels(t),
      annotations: {
        "cert-manager.io/cluster-issuer": "letsencrypt-prod",
        "nginx.ingress.kubernetes.io/proxy-body-size": "128m",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "720",
      },
    },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: [host], secretName: `${t.databaseName}-tls` }],
      rules: [
        {
          host,
          http: {
            paths: [
              { path: "/websocket", pathType: "Prefix", backend: backend(8072) },
              { path: "/", pathType: "Prefix", backend: backend(8069) },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  };
}

export function quotaOf(t: TenantPlan, createdAt: string): KubeObject {
  const big = t.problem === "unschedulable";
  const hard: Record<string, string> =
    t.instanceType === "production"
      ? { "requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi" }
      : { "requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi" };
  if (big) Object.assign(hard, { "requests.cpu": "8", "requests.memory": "192Gi", "limits.cpu": "16", "limits.memory": "192Gi" });
  Object.assign(hard, { pods: "10", persistentvolumeclaims: "5", "requests.storage": "200Gi" });
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "tenant-quota", namespace: tenantNamespace(t.databaseName), creationTimestamp: createdAt, labels: tenantLabels(t) },
    spec: { hard },
    status: { hard: { ...hard }, used: {} },
  };
}

export function pvcOf(t: TenantPlan, createdAt: string): KubeObject {
  const storageClassName = t.problem === "pvc-pending" ? MISSING_STORAGE_CLASS : t.storageClass;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: "odoo-filestore",
      namespace: tenantNamespace(t.databaseName),
      creationTimestamp: createdAt,
      labels: { "app.kubernetes.io/name": "odoo", ...tenantLabels(t) },
      finalizers: ["kubernetes.io/pvc-protection"],
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: `${t.storageGi}Gi` } },
      storageClassName,
      volumeMode: "Filesystem",
    },
    status: { phase: "Pending" },
  };
}

export function backupJobTemplate(t: TenantPlan): IJobTemplateSpec {
  return {
    metadata: { labels: { "app.kubernetes.io/name": "odoo-backup", ...tenantLabels(t) } },
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: 3600,
      template: {
        metadata: { labels: { "app.kubernetes.io/name": "odoo-backup", ...tenantLabels(t) } },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "backup",
              image: "postgres:16.4",
              imagePullPolicy: "IfNotPresent",
              command: ["/bin/sh", "-c"],
              args: [
                `pg_dump -h postgres.${PLATFORM_NAMESPACE}.svc.cluster.local -U odoo -Fc ${t.databaseName} > /backup/${t.databaseName}-$(date +%Y%m%d%H%M).dump && tar -czf /backup/filestore-$(date +%Y%m%d%H%M).tar.gz -C /var/lib/odoo .`,
              ],
              env: [{ name: "PGDATABASE", value: t.databaseName }],
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
              volumeMounts: [{ name: "filestore", mountPath: "/var/lib/odoo", readOnly: true }],
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          volumes: [{ name: "filestore", persistentVolumeClaim: { claimName: "odoo-filestore", readOnly: true } }],
          dnsPolicy: "ClusterFirst",
          schedulerName: "default-scheduler",
          terminationGracePeriodSeconds: 30,
          securityContext: {},
        },
      },
    },
  };
}

export function cronJobOf(t: TenantPlan, createdAt: string): KubeObject {
  const jobTemplate = backupJobTemplate(t);
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: {
      name: "odoo-backup",
      namespace: tenantNamespace(t.databaseName),
      creationTimestamp: createdAt,
      labels: { "app.kubernetes.io/name": "odoo-backup", ...tenantLabels(t) },
    },
    spec: {
      schedule: t.backupSchedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: false,
      jobTemplate,
    },
    status: {},
  };
}

export function storageClasses(createdAt: string): KubeObject[] {
  return [
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "ceph-rbd", creationTimestamp: createdAt, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: CSI_DRIVER,
      parameters: {
        clusterID: CEPH_CLUSTER_ID,
        pool: "kubernetes",
        imageFeatures: "layering",
        "csi.storage.k8s.io/fstype": "ext4",
      },
      reclaimPolicy: "Delete",
      allowVolumeExpansion: true,
      volumeBindingMode: "Immediate",
      mountOptions: ["discard"],
    },
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "local-path", creationTimestamp: createdAt },
      provisioner: LOCAL_PATH_PROVISIONER,
      reclaimPolicy: "Delete",
      allowVolumeExpansion: false,
      volumeBindingMode: "Immediate",
    },
  ];
}

export function nodeCountFor(tenants: number): number {
  return Math.min(200, Math.max(3, Math.ceil(tenants / 60)));
}

export const nodeNameOf = (i: number) => `node-${i + 1}`;
export const nodeIpOf = (i: number) => `10.0.${1 + (i >> 8)}.${(i & 255) + 10}`;

export function nodeOf(i: number, createdAt: string, bootId: string): KubeObject {
  const name = nodeNameOf(i);
  const zone = ["a", "b", "c"][i % 3];
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      creationTimestamp: createdAt,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node-role.kubernetes.io/worker": "",
        "node.kubernetes.io/instance-type": "m6i.8xlarge",
        "topology.kubernetes.io/region": "eu-west-1",
        "topology.kubernetes.io/zone": `eu-west-1${zone}`,
      },
      annotations: {
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        "csi.volume.kubernetes.io/nodeid": JSON.stringify({ [CSI_DRIVER]: name }),
      },
    },
    spec: { podCIDR: `10.42.${i}.0/24`, podCIDRs: [`10.42.${i}.0/24`] },
    status: {
      capacity: { cpu: "32", memory: "131890884Ki", pods: "250", "ephemeral-storage": "203056560Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0" },
      allocatable: { cpu: "31750m", memory: "129691332Ki", pods: "250", "ephemeral-storage": "187136925387", "hugepages-1Gi": "0", "hugepages-2Mi": "0" },
      conditions: nodeConditions(true, createdAt),
      addresses: [
        { type: "InternalIP", address: nodeIpOf(i) },
        { type: "Hostname", address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: bootId.replace(/-/g, ""),
        systemUUID: bootId.toUpperCase(),
        bootID: bootId,
        kernelVersion: "6.1.0-28-cloud-amd64",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        containerRuntimeVersion: "containerd://1.7.24",
        kubeletVersion: "v1.31.4",
        kubeProxyVersion: "v1.31.4",
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

export function nodeConditions(ready: boolean, since: string): Record<string, unknown>[] {
  const hb = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  if (!ready) {
    const unknown = (type: string) => ({
      type,
      status: "Unknown",
      lastHeartbeatTime: since,
      lastTransitionTime: hb,
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    });
    return [unknown("MemoryPressure"), unknown("DiskPressure"), unknown("PIDPressure"), unknown("Ready")];
  }
  return [
    {
      type: "MemoryPressure",
      status: "False",
      lastHeartbeatTime: hb,
      lastTransitionTime: since,
      reason: "KubeletHasSufficientMemory",
      message: "kubelet has sufficient memory available",
    },
    {
      type: "DiskPressure",
      status: "False",
      lastHeartbeatTime: hb,
      lastTransitionTime: since,
      reason: "KubeletHasNoDiskPressure",
      message: "kubelet has no disk pressure",
    },
    {
      type: "PIDPressure",
      status: "False",
      lastHeartbeatTime: hb,
      lastTransitionTime: since,
      reason: "KubeletHasSufficientPID",
      message: "kubelet has sufficient PID available",
    },
    { type: "Ready", status: "True", lastHeartbeatTime: hb, lastTransitionTime: since, reason: "KubeletReady", message: "kubelet is posting ready status" },
  ];
}

/** The platform: postgres StatefulSet and the instance service that provisions tenants. */
export function platformObjects(createdAt: string): { key: string; obj: KubeObject }[] {
  const ns = PLATFORM_NAMESPACE;
  const appLabels = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "saasodoo" });
  const deployment = (name: string, image: string, replicas: number, port?: number): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns, creationTimestamp: createdAt, labels: appLabels(name) },
    spec: {
      replicas,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template: {
        metadata: { labels: appLabels(name) },
        spec: {
          containers: [
            {
              name,
              image,
              imagePullPolicy: "IfNotPresent",
              env: [
                { name: "POSTGRES_HOST", value: `postgres.${ns}.svc.cluster.local` },
                { name: "ODOO_DOMAIN", value: INGRESS_DOMAIN },
              ],
              ...(port ? { ports: [{ name: "http", containerPort: port, protocol: "TCP" }] } : {}),
              ...(port
                ? {
                    readinessProbe: {
                      httpGet: { path: "/health", port, scheme: "HTTP" },
                      periodSeconds: 10,
                      timeoutSeconds: 2,
                      successThreshold: 1,
                      failureThreshold: 3,
                    },
                  }
                : {}),
              resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          dnsPolicy: "ClusterFirst",
          schedulerName: "default-scheduler",
          serviceAccountName: "instance-service",
          securityContext: {},
        },
      },
    },
  });
  return [
    {
      key: "core/namespaces",
      obj: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns, creationTimestamp: createdAt, labels: { "kubernetes.io/metadata.name": ns, "app.kubernetes.io/part-of": "saasodoo" } },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      },
    },
    {
      key: "core/serviceaccounts",
      obj: {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "instance-service", namespace: ns, creationTimestamp: createdAt, labels: appLabels("instance-service") },
      },
    },
    {
      key: "core/services",
      obj: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "postgres", namespace: ns, creationTimestamp: createdAt, labels: appLabels("postgres") },
        spec: {
          type: "ClusterIP",
          clusterIP: "None",
          clusterIPs: ["None"],
          ipFamilies: ["IPv4"],
          ipFamilyPolicy: "SingleStack",
          internalTrafficPolicy: "Cluster",
          sessionAffinity: "None",
          selector: { "app.kubernetes.io/name": "postgres" },
          ports: [{ name: "postgres", port: 5432, targetPort: 5432, protocol: "TCP" }],
        },
        status: { loadBalancer: {} },
      },
    },
    {
      key: "core/services",
      obj: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "instance-service", namespace: ns, creationTimestamp: createdAt, labels: appLabels("instance-service") },
        spec: {
          type: "ClusterIP",
          clusterIP: "10.96.0.40",
          clusterIPs: ["10.96.0.40"],
          ipFamilies: ["IPv4"],
          ipFamilyPolicy: "SingleStack",
          internalTrafficPolicy: "Cluster",
          sessionAffinity: "None",
          selector: { "app.kubernetes.io/name": "instance-service" },
          ports: [{ name: "http", port: 80, targetPort: 8003, protocol: "TCP" }],
        },
        status: { loadBalancer: {} },
      },
    },
    {
      key: "apps/statefulsets",
      obj: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "postgres", namespace: ns, creationTimestamp: createdAt, labels: appLabels("postgres") },
        spec: {
          replicas: 1,
          serviceName: "postgres",
          podManagementPolicy: "OrderedReady",
          revisionHistoryLimit: 10,
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
          selector: { matchLabels: { "app.kubernetes.io/name": "postgres" } },
          template: {
            metadata: { labels: appLabels("postgres") },
            spec: {
              containers: [
                {
                  name: "postgres",
                  image: "postgres:16.4",
                  imagePullPolicy: "IfNotPresent",
                  ports: [{ name: "postgres", containerPort: 5432, protocol: "TCP" }],
                  env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
                  resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "4", memory: "16Gi" } },
                  readinessProbe: {
                    exec: { command: ["pg_isready", "-U", "postgres"] },
                    periodSeconds: 10,
                    timeoutSeconds: 5,
                    successThreshold: 1,
                    failureThreshold: 3,
                  },
                  volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
                  terminationMessagePath: "/dev/termination-log",
                  terminationMessagePolicy: "File",
                },
              ],
              restartPolicy: "Always",
              terminationGracePeriodSeconds: 60,
              dnsPolicy: "ClusterFirst",
              schedulerName: "default-scheduler",
              securityContext: { fsGroup: 999 },
            },
          },
          volumeClaimTemplates: [
            {
              apiVersion: "v1",
              kind: "PersistentVolumeClaim",
              metadata: { name: "data" },
              spec: { accessModes: ["ReadWriteOnce"], storageClassName: "ceph-rbd", resources: { requests: { storage: "200Gi" } }, volumeMode: "Filesystem" },
            },
          ],
        },
      },
    },
    { key: "apps/deployments", obj: deployment("instance-service", "saasodoo/instance-service:1.14.2", 2, 8003) },
    { key: "apps/deployments", obj: deployment("instance-worker", "saasodoo/instance-worker:1.14.2", 2) },
  ];
}
