-- CreateIndex
CREATE INDEX "issue_sync_status_last_attempted_at_id_idx" ON "issue"("sync_status", "last_attempted_at" DESC, "id");
