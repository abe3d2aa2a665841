-- CreateTable
CREATE TABLE "Room" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "heartbeatIntervalMs" INTEGER NOT NULL,
    "heartbeatTimeoutMs" INTEGER NOT NULL,
    "maxQueueLength" INTEGER NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'fifo',
    "protectedPaths" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Room_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoomCounters" (
    "roomId" TEXT NOT NULL,
    "nextSeq" INTEGER NOT NULL DEFAULT 1,
    "nextAdmission" INTEGER NOT NULL DEFAULT 1,
    "arrivedTotal" INTEGER NOT NULL DEFAULT 0,
    "admittedTotal" INTEGER NOT NULL DEFAULT 0,
    "expiredTotal" INTEGER NOT NULL DEFAULT 0,
    "leftTotal" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RoomCounters_pkey" PRIMARY KEY ("roomId")
);

-- CreateTable
CREATE TABLE "QueueEntry" (
    "id" TEXT NOT NULL,
    "roomId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "initialAhead" INTEGER NOT NULL,
    "enteredAt" TIMESTAMP(3) NOT NULL,
    "admittedAt" TIMESTAMP(3),
    "admissionNo" INTEGER,

    CONSTRAINT "QueueEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QueueEntry_roomId_state_idx" ON "QueueEntry"("roomId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "QueueEntry_roomId_seq_key" ON "QueueEntry"("roomId", "seq");

-- AddForeignKey
ALTER TABLE "RoomCounters" ADD CONSTRAINT "RoomCounters_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QueueEntry" ADD CONSTRAINT "QueueEntry_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;

