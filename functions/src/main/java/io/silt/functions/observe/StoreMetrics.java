package io.silt.functions.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.silt.functions.SiltRuntime;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.RequestCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.ToDoubleFunction;

/**
 * The bucket requests this process made, by the kinds S3 bills, read from the runtime's counting store at each
 * scrape: {@code silt.store.requests{kind=put|get|head|list|delete}}, {@code silt.store.gets.not.found},
 * {@code silt.store.gets.not.modified}, {@code silt.store.errors}, {@code silt.store.bytes{direction=written|read}}.
 * Their rates times AWS list prices are the running cost.
 */
@Startup
@ApplicationScoped
public class StoreMetrics {

    public StoreMetrics(SiltRuntime silt, MeterRegistry registry) {
        CountingObjectStore store = silt.countingStore();
        request(registry, store, "put", RequestCounts::puts);
        request(registry, store, "get", RequestCounts::gets);
        request(registry, store, "head", RequestCounts::heads);
        request(registry, store, "list", RequestCounts::lists);
        request(registry, store, "delete", RequestCounts::deletes);
        count(registry, store, "silt.store.gets.not.found", "GETs that found nothing (404)", RequestCounts::getsNotFound);
        count(registry, store, "silt.store.gets.not.modified", "conditional GETs answered 304",
                RequestCounts::getsNotModified);
        count(registry, store, "silt.store.errors", "store requests that failed", RequestCounts::errors);
        FunctionCounter.builder("silt.store.bytes", store, s -> s.counts().bytesWritten()).baseUnit("bytes")
                .tag("direction", "written").description("bytes sent to the store").register(registry);
        FunctionCounter.builder("silt.store.bytes", store, s -> s.counts().bytesRead()).baseUnit("bytes")
                .tag("direction", "read").description("bytes received from the store").register(registry);
    }

    private static void request(MeterRegistry registry, CountingObjectStore store, String kind,
                                ToDoubleFunction<RequestCounts> field) {
        FunctionCounter.builder("silt.store.requests", store, s -> field.applyAsDouble(s.counts()))
                .tag("kind", kind).description("requests to the object store, by billed kind").register(registry);
    }

    private static void count(MeterRegistry registry, CountingObjectStore store, String name, String description,
                              ToDoubleFunction<RequestCounts> field) {
        FunctionCounter.builder(name, store, s -> field.applyAsDouble(s.counts())).description(description)
                .register(registry);
    }
}
