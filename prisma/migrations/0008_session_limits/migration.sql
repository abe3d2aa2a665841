-- AlterTable (columns added in place: the Room table is not rebuilt)
ALTER TABLE "Room" ADD COLUMN "sessionDurationSeconds" INTEGER;
ALTER TABLE "Room" ADD COLUMN "sessionRenewal" BOOLEAN NOT NULL DEFAULT false;
