import type { MultipartFile } from '@fastify/multipart';
import { Controller, Get, Headers, Inject, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { caseIdPipe } from '../cases/case-id.pipe.js';
import { DomainError } from '../common/domain-error.js';
import { parseIfMatch } from '../common/if-match.js';
import { ApiErrors, ApiIfMatch, ApiOk, NEXT_CURSOR_HEADERS } from '../common/openapi-decorators.js';
import { sendNextCursor } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { attachmentHeader } from './attachment-header.js';
import { EvidenceResponse } from './dto/evidence-view.response.js';
import { EvidenceService, type EvidenceView } from './evidence.service.js';
import { EVIDENCE_LIMIT, EvidenceListQuery } from './evidence-list.query.js';

const missingFile = () =>
  DomainError.validation([{ field: 'file', message: 'required: send the file as the multipart/form-data field "file"' }]);

/**
 * busboy's errors for a body that is not well-formed multipart (no boundary, a part cut short, a broken
 * header) are plain Errors: without a code (the plugin's limit errors have FST_ ones, the file system's
 * ENOSPC and the like, DomainErrors theirs) they were 500s. Here they name the field.
 */
function malformedMultipart(error: unknown): DomainError | null {
  if (!(error instanceof Error) || error instanceof DomainError || (error as { code?: unknown }).code !== undefined) {
    return null;
  }
  return DomainError.validation([{ field: 'file', message: `malformed multipart/form-data body (${error.message})` }]);
}

/** The first file part, or a 400 naming `file` when the body is not well-formed multipart. */
async function firstFilePart(request: FastifyRequest): Promise<MultipartFile | undefined> {
  try {
    return request.isMultipart() ? await request.file() : undefined;
  } catch (error) {
    throw malformedMultipart(error) ?? error;
  }
}

/** Evidence files of a case (证据材料): upload (a case command), list, download. Thin, like the others. */
@ApiTags('evidence')
@ApiBearerAuth()
@Controller('cases/:id/evidence')
export class EvidenceController {
  constructor(@Inject(EvidenceService) private readonly evidence: EvidenceService) {}

  @ApiOperation({ operationId: 'uploadEvidence', summary: 'Add an evidence file (证据材料) to a case' })
  @ApiResponse({
    status: 201,
    type: EvidenceResponse,
    headers: { Location: { description: 'the file’s URL (`GET /cases/{id}/evidence/{eid}`)', schema: { type: 'string' } } },
  })
  @ApiErrors(400, 401, 403, 404, 409, 412, 413, 415, 422, 429)
  @ApiIfMatch()
  @Post()
  @Idempotent()
  @Roles('cadre', 'officer')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description: 'one file of at most 10 MB: PDF, image, UTF-8 text or office document, checked by its content',
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  async upload(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EvidenceView> {
    const precondition = parseIfMatch(ifMatch);
    const part = await firstFilePart(request);
    if (!part) {
      throw missingFile();
    }
    if (part.fieldname !== 'file') {
      part.file.resume(); // let the rest of the body drain
      throw missingFile();
    }
    const view = await this.evidence.upload(user, id, precondition, part).catch((error: unknown) => {
      // The part's stream failed because the body broke off after its headers, not because of the server.
      throw (part.file.errored === error && malformedMultipart(error)) || error;
    });
    void reply.header('Location', `/cases/${id}/evidence/${view.id}`);
    return view;
  }

  @ApiOperation({ operationId: 'listEvidence', summary: 'The case’s evidence metadata, oldest first' })
  @ApiOk({ type: [EvidenceResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403, 404)
  @Get()
  async list(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Query() query: EvidenceListQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EvidenceView[]> {
    const limit = query.limit ?? EVIDENCE_LIMIT;
    const slice = await this.evidence.list(user, id, query.after ?? 0, limit);
    sendNextCursor(reply, `/cases/${id}/evidence`, 'after', slice.next, limit, query);
    return slice.items;
  }

  @ApiOperation({ operationId: 'downloadEvidence', summary: 'An evidence file’s bytes, as an attachment' })
  @ApiOkResponse({
    description: 'the file, as stored',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      ETag: { description: 'the file’s SHA-256, quoted: send it as `If-None-Match` to skip a download', schema: { type: 'string' } },
      'Content-Disposition': { description: '`attachment` with the file’s name', schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 304, description: '`If-None-Match` names the file’s ETag: you have it already' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of a copy you hold' })
  @ApiErrors(400, 401, 403, 404)
  @Get(':eid')
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', caseIdPipe) id: string,
    @Param('eid', uuidParam('eid')) evidenceId: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const { evidence, handle } = await this.evidence.open(user, id, evidenceId);
    const etag = `"${evidence.sha256}"`;
    // Evidence is personal data that no proxy or browser cache may keep (no-store). It never changes (its name
    // is its hash), so a client that saved its own copy may still send If-None-Match and skip the download.
    void reply.header('ETag', etag).header('Cache-Control', 'no-store');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      await handle.close();
      void reply.status(304);
      return undefined;
    }
    return new StreamableFile(handle.createReadStream(), {
      type: evidence.mediaType,
      disposition: attachmentHeader(evidence.filename),
      length: evidence.size,
    });
  }
}
