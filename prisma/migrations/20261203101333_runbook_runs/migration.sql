-- CreateTable
CREATE TABLE "RunbookRun" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "tenantName" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "runbookId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "risk" TEXT NOT NULL,
    "input" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "message" TEXT,
    "plan" JSONB NOT NULL,
    "planHash" TEXT NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '[]',
    "plannedAt" TIMESTAMPTZ(3) NOT NULL,
    "requestedById" UUID,
    "requestedByEmail" TEXT NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idempotencyKey" TEXT,
    "requestFingerprint" TEXT,
    "approvalExpiresAt" TIMESTAMPTZ(3),
    "decision" TEXT,
    "decidedById" UUID,
    "decidedByEmail" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionComment" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "outcomes" JSONB NOT NULL DEFAULT '[]',
    "undo" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RunbookRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunbookRunStep" (
    "runId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "startedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "output" TEXT,

    CONSTRAINT "RunbookRunStep_pkey" PRIMARY KEY ("runId","index")
);

-- CreateTable
CREATE TABLE "TenantRunLease" (
    "tenantId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "acquiredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TenantRunLease_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE INDEX "RunbookRun_tenantId_requestedAt_idx" ON "RunbookRun"("tenantId", "requestedAt");

-- CreateIndex
CREATE INDEX "RunbookRun_requestedAt_idx" ON "RunbookRun"("requestedAt");

-- CreateIndex
CREATE INDEX "RunbookRun_state_idx" ON "RunbookRun"("state");

-- CreateIndex
CREATE INDEX "RunbookRun_updatedAt_idx" ON "RunbookRun"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RunbookRun_requestedById_idempotencyKey_key" ON "RunbookRun"("requestedById", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "TenantRunLease_runId_key" ON "TenantRunLease"("runId");

-- AddForeignKey
ALTER TABLE "RunbookRunStep" ADD CONSTRAINT "RunbookRunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "RunbookRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

