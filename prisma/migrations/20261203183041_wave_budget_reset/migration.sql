-- AlterTable
ALTER TABLE "MigrationWave" ADD COLUMN     "budgetResetAt" TIMESTAMPTZ(3);

