-- AlterTable
ALTER TABLE "Room" ADD COLUMN "typicalVisitSeconds" INTEGER;

