package io.silt.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Map;

/** Topic admin as a Lambda function: {"action":"list"}. */
@Named("admin")
public class AdminHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Inject
    SiltRuntime silt;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Map.of("topics", silt.transport().listTopics());
    }
}
