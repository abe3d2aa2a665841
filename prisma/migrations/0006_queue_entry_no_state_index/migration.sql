-- DropIndex
DROP INDEX "QueueEntry_roomId_state_idx";

