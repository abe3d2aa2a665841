-- AlterTable (columns added in place: the Room table is not rebuilt)
ALTER TABLE "Room" ADD COLUMN "bypassCidrs" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Room" ADD COLUMN "bypassApiKeys" BOOLEAN NOT NULL DEFAULT false;
