-- CreateTable
CREATE TABLE "ScaleEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "capacity" INTEGER NOT NULL,
    "leadMinutes" INTEGER NOT NULL DEFAULT 10,
    "preQueue" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "leadAt" DATETIME,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "cancelledAt" DATETIME,
    "shuffleSeed" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SurgePolicy" (
    "roomId" TEXT NOT NULL PRIMARY KEY,
    "capacity" INTEGER NOT NULL,
    "holdMinutes" INTEGER NOT NULL DEFAULT 30,
    "endBelowArrivalsPerMin" REAL,
    "endAfterLowMinutes" INTEGER NOT NULL DEFAULT 5,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Surge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "holdUntil" DATETIME NOT NULL,
    "extensions" INTEGER NOT NULL DEFAULT 0,
    "startedBy" TEXT NOT NULL,
    "lowSince" DATETIME,
    "endedAt" DATETIME,
    "endReason" TEXT
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "rooms" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "IdempotentRequest" (
    "apiKeyId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("apiKeyId", "key")
);

-- CreateTable
CREATE TABLE "NotificationChannel" (
    "roomId" TEXT NOT NULL PRIMARY KEY,
    "topicArn" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertThreshold" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "metric" TEXT NOT NULL,
    "comparator" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "forSamples" INTEGER NOT NULL DEFAULT 1,
    "recoverValue" REAL,
    "cooldownSeconds" INTEGER NOT NULL DEFAULT 300,
    "topicArn" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "state" TEXT NOT NULL DEFAULT 'ok',
    "streak" INTEGER NOT NULL DEFAULT 0,
    "stateChangedAt" DATETIME,
    "lastNotifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "thresholdId" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "value" REAL,
    "message" TEXT NOT NULL,
    "notification" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "roomId" TEXT,
    "kind" TEXT NOT NULL,
    "topicArn" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "nextAttemptAt" DATETIME,
    "sentAt" DATETIME,
    "messageId" TEXT
);

-- CreateIndex
CREATE INDEX "ScaleEvent_roomId_endsAt_idx" ON "ScaleEvent"("roomId", "endsAt");

-- CreateIndex
CREATE INDEX "ScaleEvent_status_idx" ON "ScaleEvent"("status");

-- CreateIndex
CREATE INDEX "Surge_roomId_endedAt_idx" ON "Surge"("roomId", "endedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "IdempotentRequest_createdAt_idx" ON "IdempotentRequest"("createdAt");

-- CreateIndex
CREATE INDEX "AlertThreshold_roomId_idx" ON "AlertThreshold"("roomId");

-- CreateIndex
CREATE INDEX "AlertEvent_at_idx" ON "AlertEvent"("at");

-- CreateIndex
CREATE INDEX "AlertEvent_roomId_at_idx" ON "AlertEvent"("roomId", "at");

-- CreateIndex
CREATE INDEX "Delivery_createdAt_idx" ON "Delivery"("createdAt");

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");
