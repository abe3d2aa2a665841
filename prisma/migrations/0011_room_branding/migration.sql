-- AlterTable (columns added in place: the Room table is not rebuilt)
ALTER TABLE "Room" ADD COLUMN "defaultLanguage" TEXT;
ALTER TABLE "Room" ADD COLUMN "branding" TEXT NOT NULL DEFAULT '{}';
