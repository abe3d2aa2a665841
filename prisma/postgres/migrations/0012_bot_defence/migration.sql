-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "blockedCidrs" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "challenge" TEXT NOT NULL DEFAULT 'off',
ADD COLUMN     "challengeDifficulty" INTEGER NOT NULL DEFAULT 50000,
ADD COLUMN     "infiniteLine" BOOLEAN NOT NULL DEFAULT false;

