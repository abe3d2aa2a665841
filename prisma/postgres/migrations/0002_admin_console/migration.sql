-- AlterTable
ALTER TABLE "RoomCounters" ADD COLUMN     "evictedTotal" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastSignInAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "roomId" TEXT,
    "target" TEXT,
    "ip" TEXT,
    "before" TEXT,
    "after" TEXT,
    "reason" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "roomId" TEXT NOT NULL,
    "resolutionS" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "active" INTEGER NOT NULL,
    "waiting" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "arrivalsPerMinute" DOUBLE PRECISION NOT NULL,
    "admissionsPerMinute" DOUBLE PRECISION NOT NULL,
    "expiredPerMinute" DOUBLE PRECISION NOT NULL,
    "medianWaitMs" INTEGER,
    "p95WaitMs" INTEGER,
    "waitSamples" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("roomId","resolutionS","at")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_roomId_at_idx" ON "AuditEntry"("roomId", "at");

-- CreateIndex
CREATE INDEX "MetricSample_resolutionS_at_idx" ON "MetricSample"("resolutionS", "at");

