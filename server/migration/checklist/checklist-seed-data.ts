import "server-only";

import type { GateId } from "@/lib/migration/gates";
import type { Priority, Workstream } from "@/lib/migration/checklist";

/**
 * The 10-week Swarm → Kubernetes plan as checklist tasks, distilled by hand from the
 * restructuring plan in the seeds (../shared/seeds/000_*.txt): its documents' scopes give the
 * weeks (infrastructure 1-3, code changes 4-6, testing 5-10, database migration planned 5-6 and
 * run in 7, observability 6-8, operations 8-10, security 8-10, scaling 9-10), its "Implementation
 * Priority" gives must-have / important / nice-to-have, and its week-by-week testing plan and
 * success criteria give the acceptance criteria.
 *
 * `key` is the task's seedKey: never rename one (the seeding matches on it, so a renamed key would
 * seed the task a second time). Tasks are added by appending a new key.
 */
export interface ChecklistSeedTask {
  key: string;
  week: number;
  workstream: Workstream;
  title: string;
  acceptance: string;
  priority: Priority;
  gateId?: GateId;
  gateParam?: string;
  /** A manual check: an attestation holds this many days. */
  attestationDays?: number;
}

export const CHECKLIST_SEED_TASKS: readonly ChecklistSeedTask[] = [
  // Week 1-3: INFRASTRUCTURE_SETUP (must-have)
  {
    key: "w1-infra-prerequisites",
    week: 1,
    workstream: "infrastructure",
    title: "Prerequisites checklist validated on every node",
    acceptance: "Every prerequisite of the infrastructure guide has a validation command, and each one passes on every planned node.",
    priority: "must-have",
  },
  {
    key: "w1-infra-rke2",
    week: 1,
    workstream: "infrastructure",
    title: "RKE2 cluster installed (3-node etcd HA control plane)",
    acceptance: "RKE2 runs with a 3-node etcd control plane (8 GB quota); the validation commands pass and a rollback procedure is written down.",
    priority: "must-have",
  },
  {
    key: "w1-infra-cilium",
    week: 1,
    workstream: "infrastructure",
    title: "Cilium CNI set up and verified",
    acceptance: "Cilium's connectivity test passes; pods on different nodes reach each other and cluster DNS resolves.",
    priority: "must-have",
  },
  {
    key: "w1-infra-portal-access",
    week: 1,
    workstream: "infrastructure",
    title: "Fleetdeck connected to the new cluster",
    acceptance: "The portal watches the cluster with its own ServiceAccount and no request is refused as forbidden.",
    priority: "must-have",
    gateId: "cluster-access",
  },
  {
    key: "w2-infra-rook-ceph",
    week: 2,
    workstream: "infrastructure",
    title: "Rook-Ceph storage integrated with the existing CephFS",
    acceptance: "A StorageClass backed by the existing CephFS provisions a PVC that binds, mounts and enforces its quota.",
    priority: "must-have",
  },
  {
    key: "w2-infra-metallb",
    week: 2,
    workstream: "infrastructure",
    title: "MetalLB load balancer configured",
    acceptance: "A Service of type LoadBalancer gets an address from the MetalLB pool and answers from outside the cluster.",
    priority: "must-have",
  },
  {
    key: "w2-infra-traefik",
    week: 2,
    workstream: "infrastructure",
    title: "Traefik ingress set up",
    acceptance: "Traefik routes a test host to a test Service over TLS; the network debugging guide covers what to check when it does not.",
    priority: "must-have",
  },
  {
    key: "w3-infra-sealed-secrets",
    week: 3,
    workstream: "infrastructure",
    title: "Sealed Secrets for the services' environment variables",
    acceptance: "The services' secrets are committed only as SealedSecrets and unseal in the cluster; the sealing key is backed up.",
    priority: "must-have",
  },
  {
    key: "w3-infra-dns",
    week: 3,
    workstream: "infrastructure",
    title: "DNS configuration requirements met",
    acceptance: "Wildcard and platform records for the new cluster exist with a low TTL, ready for the switch.",
    priority: "must-have",
  },
  {
    key: "w3-infra-validation",
    week: 3,
    workstream: "infrastructure",
    title: "Component validation tests and Makefile automation",
    acceptance: "One Makefile target runs the validation test of every component (CNI, storage, load balancer, ingress, secrets) and all pass.",
    priority: "must-have",
  },

  // Week 4-6: CODE_REFACTORING_GUIDE (must-have)
  {
    key: "w4-code-k8s-client",
    week: 4,
    workstream: "code-changes",
    title: "docker_client.py rewritten as k8s_client.py",
    acceptance: "The instance-service talks to Kubernetes through the Python client (create Deployment, scale, delete) instead of the Docker SDK.",
    priority: "must-have",
  },
  {
    key: "w4-code-provisioning",
    week: 4,
    workstream: "code-changes",
    title: "Provisioning tasks ported to the Kubernetes API",
    acceptance:
      "provisioning.py (lines 52-353) creates a namespace, PVC, Deployment, Service and IngressRoute per instance; before/after examples are written down.",
    priority: "must-have",
  },
  {
    key: "w4-code-env-vars",
    week: 4,
    workstream: "code-changes",
    title: "Environment variables and service discovery updated",
    acceptance:
      "Every service reads its settings from ConfigMaps/Secrets and reaches others by cluster DNS (postgres.saasodoo.svc.cluster.local); the variable mapping is complete.",
    priority: "must-have",
  },
  {
    key: "w5-code-lifecycle",
    week: 5,
    workstream: "code-changes",
    title: "Lifecycle tasks ported (start, stop, restart, delete)",
    acceptance: "lifecycle.py (lines 238-594) uses patch_namespaced_deployment_scale and friends; every lifecycle operation works on a test cluster.",
    priority: "must-have",
  },
  {
    key: "w5-code-cephfs-csi",
    week: 5,
    workstream: "code-changes",
    title: "CephFS manipulation replaced by PersistentVolumeClaims",
    acceptance: "No subprocess setfattr remains; quotas come from the StorageClass and PVC size, mount paths from the deployment manifests.",
    priority: "must-have",
  },
  {
    key: "w6-code-monitoring",
    week: 6,
    workstream: "code-changes",
    title: "Event monitoring rewritten on the Kubernetes Watch API",
    acceptance: "monitoring.py (1,248 lines) follows Kubernetes watches asynchronously and updates instance status as the Docker event loop did.",
    priority: "must-have",
  },
  {
    key: "w6-code-db-connections",
    week: 6,
    workstream: "code-changes",
    title: "Database connection pooling and health checks adapted",
    acceptance: "Connection pools are reviewed for scale (min 5, max 50), use the Kubernetes service DNS, and every service has liveness and readiness probes.",
    priority: "must-have",
  },

  // Week 5-10: TESTING_STRATEGY (must-have up to smoke tests)
  {
    key: "w5-test-pytest",
    week: 5,
    workstream: "testing",
    title: "pytest infrastructure with shared fixtures",
    acceptance: "conftest.py provides database, Redis and RabbitMQ fixtures and a mocked Kubernetes API; pytest runs green locally.",
    priority: "must-have",
  },
  {
    key: "w5-test-instance-service",
    week: 5,
    workstream: "testing",
    title: "Critical tests for the instance-service (currently 0)",
    acceptance: "At least 20 tests cover provisioning and Celery tasks against a mocked Kubernetes client (50+ planned).",
    priority: "must-have",
  },
  {
    key: "w5-test-ci",
    week: 5,
    workstream: "testing",
    title: "CI pipeline (GitHub Actions) runs the tests on every commit",
    acceptance: "Every commit runs pytest with coverage (target 70 % for critical services) and builds the Docker images.",
    priority: "must-have",
  },
  {
    key: "w6-test-integration",
    week: 6,
    workstream: "testing",
    title: "Service-to-service integration tests",
    acceptance: "User-service → billing-service and billing-service → instance-service flows are tested end to end in CI.",
    priority: "must-have",
  },
  {
    key: "w6-test-webhooks",
    week: 6,
    workstream: "testing",
    title: "Billing webhook processing tests",
    acceptance: "KillBill webhooks are replayed in tests and each reaches the instance-service with the expected effect.",
    priority: "must-have",
  },
  {
    key: "w7-test-smoke-cluster",
    week: 7,
    workstream: "testing",
    title: "Smoke tests: the cluster is healthy",
    acceptance: "smoke-test.sh, storage-test.sh and networking-test.sh pass: all pods healthy, services reachable, storage provisions, ingress routes traffic.",
    priority: "must-have",
  },
  {
    key: "w7-test-e2e-flows",
    week: 7,
    workstream: "testing",
    title: "End-to-end workflow tests on Kubernetes",
    acceptance: "e2e-subscription-flow.sh passes: signup → instance creation → billing activation, the trial flow, and payment → instance activation.",
    priority: "must-have",
  },
  {
    key: "w7-test-lifecycle-runbook",
    week: 7,
    workstream: "testing",
    title: "Instance stop/start/restart works in staging",
    acceptance: "The restart runbook has succeeded on a staging tenant on the new cluster.",
    priority: "must-have",
    gateId: "runbook-succeeded-in-staging",
    gateParam: "restart-instance",
  },
  {
    key: "w7-test-verify-runbook",
    week: 7,
    workstream: "testing",
    title: "Instance verification works in staging",
    acceptance: "The verify runbook (Deployment available, pod Ready, Odoo health endpoint answers) has succeeded on a staging tenant.",
    priority: "must-have",
    gateId: "runbook-succeeded-in-staging",
    gateParam: "verify-instance",
  },
  {
    key: "w8-test-load-100",
    week: 8,
    workstream: "testing",
    title: "Basic load test: 100 instances",
    acceptance: "100 instances provisioned through the API stay healthy for 24 hours; provisioning takes under 3 minutes each; resource use is recorded.",
    priority: "important",
  },
  {
    key: "w9-test-stress",
    week: 9,
    workstream: "testing",
    title: "Stress test: find the breaking point (500-1,000 instances)",
    acceptance: "The system degrades gracefully with no data corruption; the bottlenecks found are written down.",
    priority: "nice-to-have",
  },
  {
    key: "w10-test-chaos",
    week: 10,
    workstream: "testing",
    title: "Chaos tests: pod, node and network failures",
    acceptance: "Killing Odoo pods, draining a node and cutting database connections each recover without manual repair.",
    priority: "nice-to-have",
  },
  {
    key: "w10-test-readiness",
    week: 10,
    workstream: "testing",
    title: "Production readiness: all critical tests pass",
    acceptance: "Unit, integration and smoke tests all pass against production; all services healthy.",
    priority: "must-have",
  },

  // Week 5-7: DATABASE_MIGRATION (must-have, cold migration)
  {
    key: "w5-db-inventory",
    week: 5,
    workstream: "database-migration",
    title: "Inventory of Swarm Odoo instances, database sizes and CephFS storage",
    acceptance: "Every Swarm instance is listed with its database size and CephFS usage, and imported into the Fleetdeck registry.",
    priority: "must-have",
  },
  {
    key: "w5-db-downtime",
    week: 5,
    workstream: "database-migration",
    title: "Migration approach and downtime estimate agreed",
    acceptance: "Cold migration for the first deployment, in batches of 10-50 tenants; the estimated downtime per batch is under 4 hours.",
    priority: "must-have",
    attestationDays: 30,
  },
  {
    key: "w6-db-backup-plan",
    week: 6,
    workstream: "database-migration",
    title: "Backup strategy and rollback plan documented",
    acceptance: "pg_dump procedures, CephFS snapshots and a rollback procedure for each step are written and reviewed.",
    priority: "must-have",
  },
  {
    key: "w6-db-dry-run",
    week: 6,
    workstream: "database-migration",
    title: "Database migration dry run",
    acceptance: "One copy of a production tenant is exported, restored into a PVC on the test cluster and opens in Odoo; the timing of each phase is recorded.",
    priority: "must-have",
  },
  {
    key: "w7-db-platform",
    week: 7,
    workstream: "database-migration",
    title: "Platform databases migrated (auth, billing, instance, communication)",
    acceptance: "Schemas verified compatible, data exported with pg_dump and imported into PostgreSQL on Kubernetes, connection strings updated.",
    priority: "must-have",
  },
  {
    key: "w7-db-backups",
    week: 7,
    workstream: "database-migration",
    title: "Every production tenant on Kubernetes is backed up",
    acceptance: "Each production tenant on Kubernetes has a successful backup in the last 24 hours.",
    priority: "must-have",
    gateId: "production-backups-24h",
  },
  {
    key: "w7-db-tenant-data",
    week: 7,
    workstream: "database-migration",
    title: "Odoo tenant databases and files restored into PVCs",
    acceptance:
      "Per tenant: database exported and restored, CephFS data copied into its PVC; file count, size and permissions match; volumes Bound and below 90 %.",
    priority: "must-have",
    gateId: "volumes-bound-below-90",
  },
  {
    key: "w7-db-state-sync",
    week: 7,
    workstream: "database-migration",
    title: "State synchronisation after the move",
    acceptance: "Instance status reconciled, billing state validated, user sessions carried over.",
    priority: "must-have",
  },
  {
    key: "w7-db-post-validation",
    week: 7,
    workstream: "database-migration",
    title: "Post-migration validation of every migrated batch",
    acceptance:
      "Each batch is tested before the next: all instances accessible, authentication and billing webhooks working, no tenant of a finished wave unhealthy.",
    priority: "must-have",
    gateId: "finished-waves-healthy",
  },

  // Deployment (images, test cluster, the switch, rollback)
  {
    key: "w5-deploy-images",
    week: 5,
    workstream: "deployment",
    title: "Container images built by CI into a private registry",
    acceptance: "Every service image is built by CI, pushed to the private registry and deployed by digest, not :latest.",
    priority: "must-have",
  },
  {
    key: "w6-deploy-manifests",
    week: 6,
    workstream: "deployment",
    title: "Deployment manifests for every platform service",
    acceptance: "Each platform service has a Deployment, Service, ConfigMap/SealedSecret and probes in Git, applied with one command.",
    priority: "must-have",
  },
  {
    key: "w7-deploy-test-cluster",
    week: 7,
    workstream: "deployment",
    title: "Platform deployed to the Kubernetes test cluster",
    acceptance: "All platform services run on the test cluster and the smoke tests pass there.",
    priority: "must-have",
  },
  {
    key: "w10-deploy-dns-switch",
    week: 10,
    workstream: "deployment",
    title: "DNS switched to the new cluster",
    acceptance: "Platform and tenant hosts resolve to the Kubernetes ingress; the Swarm stays stopped but intact until the rollback window closes.",
    priority: "must-have",
  },
  {
    key: "w10-deploy-rollback-tested",
    week: 10,
    workstream: "deployment",
    title: "Rollback to Docker Swarm tested",
    acceptance: "A tenant was moved back to Swarm by the documented rollback procedure and works there.",
    priority: "must-have",
    attestationDays: 14,
  },
  {
    key: "w10-deploy-100-instances",
    week: 10,
    workstream: "deployment",
    title: "100+ Odoo instances running on Kubernetes",
    acceptance: "At least 100 Odoo instances are provisioned and healthy on Kubernetes.",
    priority: "must-have",
  },

  // Week 6-10: OBSERVABILITY_SETUP and OPERATIONS_RUNBOOK (important)
  {
    key: "w6-ops-metrics",
    week: 6,
    workstream: "operations",
    title: "Prometheus metrics endpoints on all services",
    acceptance:
      "Every service exposes /metrics (request rates and latencies, provisioning duration, Celery task times, error rates); ServiceMonitors scrape them every 15 s.",
    priority: "important",
  },
  {
    key: "w7-ops-logging",
    week: 7,
    workstream: "operations",
    title: "Log forwarding and structured logging",
    acceptance: "All services log JSON with correlation IDs and pod metadata; logs reach Elasticsearch; retention 30 days (audit 90, debug 7).",
    priority: "important",
  },
  {
    key: "w8-ops-dashboards",
    week: 8,
    workstream: "operations",
    title: "Grafana dashboards",
    acceptance: "Cluster overview, provisioning pipeline, service health, database, storage and Celery queue dashboards show live data.",
    priority: "important",
  },
  {
    key: "w8-ops-alerts",
    week: 8,
    workstream: "operations",
    title: "Critical and warning alerts routed",
    acceptance: "Node down, database failures, provisioning failures > 10 %, disk < 10 % and memory > 90 % page; warnings go to Slack or email.",
    priority: "important",
  },
  {
    key: "w9-ops-runbook",
    week: 9,
    workstream: "operations",
    title: "Operations runbook: basic troubleshooting",
    acceptance: "Step-by-step remediation for an instance that will not start, failed provisioning, stuck billing webhooks and performance degradation.",
    priority: "important",
  },
  {
    key: "w9-ops-backup-dr",
    week: 9,
    workstream: "operations",
    title: "Backup and disaster recovery procedures",
    acceptance: "Velero and database backup schedules run, PVC snapshot policies set, a restore has been done from the written procedure; RTO/RPO documented.",
    priority: "important",
  },
  {
    key: "w10-ops-trained",
    week: 10,
    workstream: "operations",
    title: "Operations team trained; monitoring green",
    acceptance: "The operations team troubleshoots the common issues on its own; dashboards show green; the documentation is complete.",
    priority: "must-have",
    attestationDays: 90,
  },

  // Week 8-10: SECURITY_HARDENING (nice-to-have beyond basic RBAC and network policies)
  {
    key: "w8-sec-rbac",
    week: 8,
    workstream: "security",
    title: "RBAC: a ServiceAccount per application with least privilege",
    acceptance: "No application runs as cluster-admin; the instance-service may manage only deployments, services, PVCs and ingressroutes.",
    priority: "important",
  },
  {
    key: "w8-sec-network-policies",
    week: 8,
    workstream: "security",
    title: "Network policies: default deny with an allow-list",
    acceptance: "Traffic between services is denied unless allow-listed; database access is restricted to its clients; egress is controlled.",
    priority: "important",
  },
  {
    key: "w9-sec-pod-security",
    week: 9,
    workstream: "security",
    title: "Pod security standards",
    acceptance: "Workloads run under the restricted profile: non-root, read-only root filesystem where possible, capabilities dropped.",
    priority: "nice-to-have",
  },
  {
    key: "w9-sec-image-scanning",
    week: 9,
    workstream: "security",
    title: "Image scanning in CI (Trivy)",
    acceptance: "CI blocks images with HIGH or CRITICAL CVEs; base images are updated on a schedule.",
    priority: "nice-to-have",
  },
  {
    key: "w10-sec-certificates",
    week: 10,
    workstream: "security",
    title: "cert-manager with automatic certificates",
    acceptance: "Certificates are issued and renewed by cert-manager (Let's Encrypt) and an alert fires 30 days before one expires.",
    priority: "nice-to-have",
  },
  {
    key: "w10-sec-backup-encryption",
    week: 10,
    workstream: "security",
    title: "Encrypted backups with access controls",
    acceptance: "Velero and PostgreSQL backups are encrypted at rest and only the backup role can read them.",
    priority: "nice-to-have",
  },

  // Week 9-10: HIGH_AVAILABILITY_SCALING (nice-to-have)
  {
    key: "w9-scale-bottlenecks",
    week: 9,
    workstream: "scaling",
    title: "Scale limits documented",
    acceptance: "etcd capacity, PostgreSQL connection limits, CephFS throughput and Celery queue depths are measured and written down.",
    priority: "nice-to-have",
  },
  {
    key: "w10-scale-phase1",
    week: 10,
    workstream: "scaling",
    title: "Phase 1 scaling for 100-500 instances",
    acceptance: "2-3 more worker nodes, connection pools min 5 / max 50, Celery at 3 replicas, all dashboards and alerts enabled.",
    priority: "nice-to-have",
  },
  {
    key: "w10-scale-ha-patterns",
    week: 10,
    workstream: "scaling",
    title: "High availability patterns for platform services",
    acceptance: "Pod disruption budgets, anti-affinity for critical services and graceful shutdown (SIGTERM, 30 s) are in place.",
    priority: "nice-to-have",
  },
  {
    key: "w10-scale-capacity-model",
    week: 10,
    workstream: "scaling",
    title: "Capacity planning model",
    acceptance: "The per-instance resource figures and the cluster capacity formula are filled in with the load test results.",
    priority: "nice-to-have",
  },
];
