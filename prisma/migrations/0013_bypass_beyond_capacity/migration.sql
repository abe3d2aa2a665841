-- AlterTable (columns added in place: the Room table is not rebuilt)
ALTER TABLE "Room" ADD COLUMN "bypassUncounted" BOOLEAN NOT NULL DEFAULT false;
