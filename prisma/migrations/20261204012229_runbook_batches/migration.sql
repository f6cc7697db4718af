-- CreateTable
CREATE TABLE "RunbookBatch" (
    "id" UUID NOT NULL,
    "runbookId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "input" JSONB NOT NULL DEFAULT '{}',
    "selection" JSONB NOT NULL DEFAULT '{}',
    "size" INTEGER NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "failureBudget" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "needsApproval" BOOLEAN NOT NULL DEFAULT false,
    "pausedReason" TEXT,
    "budgetResetAt" TIMESTAMPTZ(3),
    "requestedById" UUID NOT NULL,
    "requestedByEmail" TEXT NOT NULL,
    "decidedById" UUID,
    "decidedByEmail" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionComment" TEXT,
    "driverHolder" TEXT,
    "driverExpiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "idempotencyKey" TEXT NOT NULL,

    CONSTRAINT "RunbookBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunbookBatchItem" (
    "id" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "tenantName" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "idempotencyKey" TEXT NOT NULL,
    "runId" UUID,
    "message" TEXT,
    "startedAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RunbookBatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RunbookBatch_state_idx" ON "RunbookBatch"("state");

-- CreateIndex
CREATE INDEX "RunbookBatch_createdAt_idx" ON "RunbookBatch"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RunbookBatch_requestedById_idempotencyKey_key" ON "RunbookBatch"("requestedById", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "RunbookBatchItem_idempotencyKey_key" ON "RunbookBatchItem"("idempotencyKey");

-- CreateIndex
CREATE INDEX "RunbookBatchItem_batchId_state_idx" ON "RunbookBatchItem"("batchId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "RunbookBatchItem_batchId_tenantId_key" ON "RunbookBatchItem"("batchId", "tenantId");

-- AddForeignKey
ALTER TABLE "RunbookBatchItem" ADD CONSTRAINT "RunbookBatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "RunbookBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

