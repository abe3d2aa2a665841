-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "bypassUncounted" BOOLEAN NOT NULL DEFAULT false;

