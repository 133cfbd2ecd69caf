package io.silt.functions.compaction;

import io.silt.functions.api.ProblemMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Bucket compaction of this service (RFC 0009, "Compaction"; RFC 0008): the schedule and the last run, and a run on
 * demand. {@code POST} needs admin permission on every topic ({@link CompactionAdminFilter}).
 */
@Path("/v1/compaction")
@Tag(name = "Compaction", description = "The compactor of this service: last run, run now")
@Blocking
public class CompactionResource {
    private final CompactionService compaction;

    public CompactionResource(CompactionService compaction) {
        this.compaction = compaction;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The schedule and the last run",
            description = "{\"interval\",\"budgetMs\",\"running\",\"lastRun\"}: lastRun is null before the first run "
                    + "of this process, else the report with its trigger and finishedAt")
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interval", compaction.interval());
        out.put("budgetMs", compaction.budget().toMillis());
        out.put("running", compaction.running());
        out.put("lastRun", compaction.last().map(f -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("trigger", f.trigger());
            r.put("finishedAt", f.finishedAt().toString());
            r.putAll(CompactionReports.toMap(f.report()));
            return r;
        }).orElse(null));
        return out;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run compaction now",
            description = "Runs the bucket compactor once under the compactor lease, within silt.compaction.budget, "
                    + "and answers its report; status BUSY if another compactor (a service or the Lambda function) "
                    + "holds the lease")
    @APIResponse(responseCode = "200", description = "the report")
    @APIResponse(responseCode = "409", description = "compaction-running: a run of this service is still going")
    public Response runNow() {
        return compaction.runService("api")
                .map(r -> Response.ok(CompactionReports.toMap(r)).build())
                .orElseGet(() -> ProblemMapper.problem(409, "compaction-running", "Compaction running",
                        "a compaction run of this service is still going; GET /v1/compaction shows its report when "
                                + "it ends", "/v1/compaction"));
    }
}
