-- AlterTable
ALTER TABLE "Room" ADD COLUMN "newUsersPerMinute" INTEGER;

