-- CreateTable
CREATE TABLE "ProblemAcknowledgement" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "problemKind" TEXT NOT NULL,
    "acknowledgedById" UUID,
    "acknowledgedByEmail" TEXT NOT NULL,
    "acknowledgedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "withdrawnAt" TIMESTAMPTZ(3),
    "withdrawnByEmail" TEXT,

    CONSTRAINT "ProblemAcknowledgement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProblemAcknowledgement_tenantId_problemKind_idx" ON "ProblemAcknowledgement"("tenantId", "problemKind");

-- CreateIndex
CREATE INDEX "ProblemAcknowledgement_expiresAt_idx" ON "ProblemAcknowledgement"("expiresAt");

