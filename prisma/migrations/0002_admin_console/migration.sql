-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastSignInAt" DATETIME
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT NOT NULL,
    "actorRole" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "roomId" TEXT,
    "target" TEXT,
    "ip" TEXT,
    "before" TEXT,
    "after" TEXT,
    "reason" TEXT
);

-- CreateTable
CREATE TABLE "MetricSample" (
    "roomId" TEXT NOT NULL,
    "resolutionS" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "active" INTEGER NOT NULL,
    "waiting" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "arrivalsPerMinute" REAL NOT NULL,
    "admissionsPerMinute" REAL NOT NULL,
    "expiredPerMinute" REAL NOT NULL,
    "medianWaitMs" INTEGER,
    "p95WaitMs" INTEGER,
    "waitSamples" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("roomId", "resolutionS", "at")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoomCounters" (
    "roomId" TEXT NOT NULL PRIMARY KEY,
    "nextSeq" INTEGER NOT NULL DEFAULT 1,
    "nextAdmission" INTEGER NOT NULL DEFAULT 1,
    "arrivedTotal" INTEGER NOT NULL DEFAULT 0,
    "admittedTotal" INTEGER NOT NULL DEFAULT 0,
    "expiredTotal" INTEGER NOT NULL DEFAULT 0,
    "leftTotal" INTEGER NOT NULL DEFAULT 0,
    "evictedTotal" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "RoomCounters_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RoomCounters" ("active", "admittedTotal", "arrivedTotal", "expiredTotal", "leftTotal", "nextAdmission", "nextSeq", "roomId") SELECT "active", "admittedTotal", "arrivedTotal", "expiredTotal", "leftTotal", "nextAdmission", "nextSeq", "roomId" FROM "RoomCounters";
DROP TABLE "RoomCounters";
ALTER TABLE "new_RoomCounters" RENAME TO "RoomCounters";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_roomId_at_idx" ON "AuditEntry"("roomId", "at");

-- CreateIndex
CREATE INDEX "MetricSample_resolutionS_at_idx" ON "MetricSample"("resolutionS", "at");
