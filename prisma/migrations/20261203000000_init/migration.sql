-- CreateEnum
CREATE TYPE "issuesource" AS ENUM ('GITHUB', 'JIRA', 'LAUNCHPAD');

-- CreateEnum
CREATE TYPE "issuestatus" AS ENUM ('UNKNOWN', 'OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "syncstatus" AS ENUM ('NEVER_SYNCED', 'SYNCED', 'SYNC_FAILED');

-- CreateTable
CREATE TABLE "issue" (
    "id" SERIAL NOT NULL,
    "source" "issuesource" NOT NULL,
    "project" VARCHAR(200) NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "status" "issuestatus" NOT NULL DEFAULT 'UNKNOWN',
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tracker_status" TEXT,
    "sync_status" "syncstatus" NOT NULL DEFAULT 'NEVER_SYNCED',
    "sync_error" TEXT,
    "last_synced_at" TIMESTAMP(3),
    "last_attempted_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "issue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "issue_project_source_key_key" ON "issue"("project", "source", "key");

-- CreateIndex
CREATE INDEX "issue_status_last_synced_at_idx" ON "issue"("status", "last_synced_at");

-- CreateIndex
CREATE INDEX "issue_sync_status_source_idx" ON "issue"("sync_status", "source");
