using System.Buffers;
using System.Text.Json;

namespace Orchestrator.Api.Validation;

/// <summary>
/// Reads a request body as JSON under a size cap and a depth cap. Any failure is an answer
/// for the client (400, 413, 415), never an exception that becomes a 500.
/// </summary>
public static class JsonBody
{
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } contentType && !IsJson(contentType))
        {
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "The body must be application/json."));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(16 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problems.Status(ex.StatusCode, "Unreadable body", "The request body could not be read."));
        }

        if (buffer.WrittenCount == 0)
        {
            return (null, Problems.Status(StatusCodes.Status400BadRequest, "Missing body", "The request needs a JSON body."));
        }
        // The JSON reader leaves string contents to be transcoded later, where invalid UTF-8
        // would surface as an exception; refuse it here, whole.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.WrittenSpan))
        {
            return (null, Problems.Status(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is not valid UTF-8."));
        }
        try
        {
            var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = SubmissionLimits.MaxJsonDepth });
            return (document, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            return (null, Problems.Status(StatusCodes.Status400BadRequest, "Malformed JSON",
                $"The body is not valid UTF-8 JSON or nests deeper than {SubmissionLimits.MaxJsonDepth} levels{where}."));
        }
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ||
        (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) &&
         contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static IResult TooLarge(int maxBytes) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body must be at most {maxBytes} bytes.");
}
