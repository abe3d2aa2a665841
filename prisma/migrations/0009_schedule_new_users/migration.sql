-- AlterTable
ALTER TABLE "ScaleEvent" ADD COLUMN "newUsersPerMinute" INTEGER;

-- AlterTable
ALTER TABLE "SurgePolicy" ADD COLUMN "newUsersPerMinute" INTEGER;

