-- AlterTable (columns added in place: the Room table is not rebuilt)
ALTER TABLE "Room" ADD COLUMN "challenge" TEXT NOT NULL DEFAULT 'off';
ALTER TABLE "Room" ADD COLUMN "challengeDifficulty" INTEGER NOT NULL DEFAULT 50000;
ALTER TABLE "Room" ADD COLUMN "blockedCidrs" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "Room" ADD COLUMN "infiniteLine" BOOLEAN NOT NULL DEFAULT false;
