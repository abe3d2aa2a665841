-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "bypassApiKeys" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "bypassCidrs" TEXT NOT NULL DEFAULT '[]';

