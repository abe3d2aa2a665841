-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "branding" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "defaultLanguage" TEXT;

