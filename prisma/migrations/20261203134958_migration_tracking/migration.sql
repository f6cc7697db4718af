-- CreateTable
CREATE TABLE "MigrationTask" (
    "id" UUID NOT NULL,
    "seedKey" TEXT,
    "week" INTEGER NOT NULL,
    "workstream" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "acceptance" TEXT NOT NULL DEFAULT '',
    "priority" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "ownerId" UUID,
    "dueDate" DATE,
    "status" TEXT NOT NULL DEFAULT 'todo',
    "blockedReason" TEXT,
    "gateId" TEXT,
    "gateParam" TEXT,
    "attestationDays" INTEGER,
    "doneAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MigrationTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationTaskEvidence" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "note" TEXT,
    "fileName" TEXT,
    "contentType" TEXT,
    "size" INTEGER,
    "content" BYTEA,
    "addedById" UUID,
    "addedByEmail" TEXT NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MigrationTaskEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationTaskChange" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorEmail" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "fromValue" TEXT,
    "toValue" TEXT,

    CONSTRAINT "MigrationTaskChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationAttestation" (
    "id" UUID NOT NULL,
    "taskId" UUID NOT NULL,
    "attestedById" UUID,
    "attestedByEmail" TEXT NOT NULL,
    "attestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),
    "note" TEXT NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MigrationAttestation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantMigration" (
    "tenantId" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "waveId" UUID,
    "reason" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedByEmail" TEXT NOT NULL,

    CONSTRAINT "TenantMigration_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "TenantMigrationEvent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "actorId" UUID,
    "actorEmail" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "tokenId" UUID,
    "waveId" UUID,
    "runId" UUID,
    "reason" TEXT,
    "evidence" TEXT,

    CONSTRAINT "TenantMigrationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationWave" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "selection" JSONB NOT NULL DEFAULT '{}',
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "batchSize" INTEGER NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "failureBudget" INTEGER NOT NULL,
    "exitGateHours" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'draft',
    "pausedReason" TEXT,
    "currentStep" TEXT,
    "runById" UUID,
    "runByEmail" TEXT,
    "driverHolder" TEXT,
    "driverExpiresAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdByEmail" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MigrationWave_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MigrationWaveTenant" (
    "waveId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,

    CONSTRAINT "MigrationWaveTenant_pkey" PRIMARY KEY ("waveId","tenantId")
);

-- CreateTable
CREATE TABLE "MigrationWaveRun" (
    "id" UUID NOT NULL,
    "waveId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "step" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "runbookId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "runId" UUID,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MigrationWaveRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceToken" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "createdById" UUID,
    "createdByEmail" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "revokedByEmail" TEXT,
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ServiceToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MigrationTask_seedKey_key" ON "MigrationTask"("seedKey");

-- CreateIndex
CREATE INDEX "MigrationTask_week_position_idx" ON "MigrationTask"("week", "position");

-- CreateIndex
CREATE INDEX "MigrationTask_ownerId_idx" ON "MigrationTask"("ownerId");

-- CreateIndex
CREATE INDEX "MigrationTaskEvidence_taskId_addedAt_idx" ON "MigrationTaskEvidence"("taskId", "addedAt");

-- CreateIndex
CREATE INDEX "MigrationTaskChange_taskId_at_idx" ON "MigrationTaskChange"("taskId", "at");

-- CreateIndex
CREATE INDEX "MigrationTaskChange_field_at_idx" ON "MigrationTaskChange"("field", "at");

-- CreateIndex
CREATE INDEX "MigrationAttestation_taskId_attestedAt_idx" ON "MigrationAttestation"("taskId", "attestedAt");

-- CreateIndex
CREATE INDEX "TenantMigration_state_idx" ON "TenantMigration"("state");

-- CreateIndex
CREATE INDEX "TenantMigration_waveId_idx" ON "TenantMigration"("waveId");

-- CreateIndex
CREATE INDEX "TenantMigrationEvent_tenantId_at_idx" ON "TenantMigrationEvent"("tenantId", "at");

-- CreateIndex
CREATE INDEX "TenantMigrationEvent_at_idx" ON "TenantMigrationEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "MigrationWave_name_key" ON "MigrationWave"("name");

-- CreateIndex
CREATE INDEX "MigrationWave_state_idx" ON "MigrationWave"("state");

-- CreateIndex
CREATE INDEX "MigrationWaveTenant_tenantId_idx" ON "MigrationWaveTenant"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "MigrationWaveRun_idempotencyKey_key" ON "MigrationWaveRun"("idempotencyKey");

-- CreateIndex
CREATE INDEX "MigrationWaveRun_waveId_step_state_idx" ON "MigrationWaveRun"("waveId", "step", "state");

-- CreateIndex
CREATE UNIQUE INDEX "MigrationWaveRun_waveId_tenantId_step_attempt_key" ON "MigrationWaveRun"("waveId", "tenantId", "step", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceToken_name_key" ON "ServiceToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceToken_secretHash_key" ON "ServiceToken"("secretHash");

-- AddForeignKey
ALTER TABLE "MigrationTask" ADD CONSTRAINT "MigrationTask_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationTaskEvidence" ADD CONSTRAINT "MigrationTaskEvidence_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "MigrationTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationTaskChange" ADD CONSTRAINT "MigrationTaskChange_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "MigrationTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationAttestation" ADD CONSTRAINT "MigrationAttestation_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "MigrationTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationWaveTenant" ADD CONSTRAINT "MigrationWaveTenant_waveId_fkey" FOREIGN KEY ("waveId") REFERENCES "MigrationWave"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MigrationWaveRun" ADD CONSTRAINT "MigrationWaveRun_waveId_fkey" FOREIGN KEY ("waveId") REFERENCES "MigrationWave"("id") ON DELETE CASCADE ON UPDATE CASCADE;

