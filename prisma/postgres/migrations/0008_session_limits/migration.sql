-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "sessionDurationSeconds" INTEGER,
ADD COLUMN     "sessionRenewal" BOOLEAN NOT NULL DEFAULT false;

